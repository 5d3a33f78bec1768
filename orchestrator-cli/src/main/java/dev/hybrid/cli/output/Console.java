package dev.hybrid.cli.output;

import dev.hybrid.cli.config.ConfigurationException;
import dev.hybrid.cli.config.StackName;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What a command prints to and reads from: stdout, stderr, whether to print one JSON document, whether to be verbose,
 * the environment, the terminal, and the stack's name. Made once per command from the parsed options.
 */
public final class Console {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean verbose;
    private final Map<String, String> env;
    private final Terminal terminal;
    private final String stack;

    public Console(PrintWriter out, PrintWriter err, boolean json, boolean verbose, Map<String, String> env, Terminal terminal, String stack) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.verbose = verbose;
        this.env = Map.copyOf(env);
        this.terminal = terminal;
        this.stack = stack;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** {@code -o json}: one document on stdout, everything else on stderr or not at all. */
    public boolean json() {
        return json;
    }

    public boolean verbose() {
        return verbose;
    }

    public Map<String, String> env() {
        return env;
    }

    public Terminal terminal() {
        return terminal;
    }

    /**
     * A follow-up command to print, e.g. {@code command("status --local")}: {@code hybrid status --local}, with
     * {@code --stack NAME} when the stack is not the default one, so that it can be pasted as it is.
     */
    public String command(String arguments) {
        return "hybrid " + arguments + (StackName.DEFAULT.equals(stack) ? "" : " --stack " + stack);
    }

    /** The stack's name, checked when a command first needs it (init and classify never do). */
    public String stack() {
        if (!StackName.valid(stack)) {
            throw new ConfigurationException("--stack " + stack + " is not a valid stack name: " + StackName.RULE
                    + " (it becomes part of queue and bucket names)");
        }
        return stack;
    }

    /** A line for people: on stdout, or on stderr with {@code -o json} so the document stays alone on stdout. */
    public void say(String format, Object... args) {
        PrintWriter to = json ? err : out;
        to.printf(format + "%n", args);
        to.flush();
    }
}
