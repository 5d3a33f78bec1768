package dev.hybrid.cli;

import ch.qos.logback.classic.Level;
import dev.hybrid.cli.commands.BenchCommand;
import dev.hybrid.cli.commands.ClassifyCommand;
import dev.hybrid.cli.commands.DemoCommand;
import dev.hybrid.cli.commands.ImageCommand;
import dev.hybrid.cli.commands.InitCommand;
import dev.hybrid.cli.commands.PlanCommand;
import dev.hybrid.cli.commands.StatusCommand;
import dev.hybrid.cli.commands.TeardownCommand;
import dev.hybrid.cli.commands.UpCommand;
import dev.hybrid.cli.output.Console;
import dev.hybrid.cli.output.ConsoleSource;
import dev.hybrid.cli.output.ErrorHandler;
import dev.hybrid.cli.output.OutputFormat;
import dev.hybrid.cli.output.Terminal;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "hybrid", mixinStandardHelpOptions = true, versionProvider = HybridMain.Version.class,
        description = "Deploys the image-recognition service: web tier on OpenStack, app tier on AWS, or both locally.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failed", "2:usage or configuration error", "3:finished, but resources were left over or requests failed"},
        subcommands = {UpCommand.class, PlanCommand.class, StatusCommand.class, TeardownCommand.class,
                ClassifyCommand.class, BenchCommand.class, DemoCommand.class, InitCommand.class, ImageCommand.class,
                AutoComplete.GenerateCompletion.class})
public final class HybridMain implements Runnable, ConsoleSource {
    @Spec
    CommandSpec spec;

    @Option(names = "--stack", scope = ScopeType.INHERIT, defaultValue = "hybrid", paramLabel = "NAME",
            description = "Stack name: lower-case letters, digits and dashes, at most 20 (default: ${DEFAULT-VALUE}).")
    String stack;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "text", paramLabel = "text|json",
            description = "text for people; json prints one document on stdout, logs stay on stderr.")
    OutputFormat output;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Debug logs and stack traces on stderr.")
    void verbose(boolean on) {
        verbose = on;
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.hybrid")).setLevel(on ? Level.DEBUG : Level.INFO);
    }

    boolean verbose;

    private final Map<String, String> env;
    private final Terminal terminal;

    public HybridMain() {
        this(System.getenv(), Terminal.system());
    }

    public HybridMain(Map<String, String> env) {
        this(env, Terminal.system());
    }

    public HybridMain(Map<String, String> env, Terminal terminal) {
        this.env = Map.copyOf(env);
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new HybridMain()).execute(args));
    }

    /** The configured command line; tests swap its out/err writers. */
    public static CommandLine commandLine(HybridMain main) {
        CommandLine commandLine = new CommandLine(main);
        ErrorHandler errors = new ErrorHandler(main::json, () -> main.verbose);
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setExitCodeExceptionMapper(errors);
        return commandLine;
    }

    public static CommandLine commandLine(HybridMain main, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine(main);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of " + spec.subcommands().keySet());
    }

    /** What the command prints to and reads from, with the options given to {@code hybrid} itself. */
    @Override
    public Console console() {
        CommandLine commandLine = spec.commandLine();
        return new Console(commandLine.getOut(), commandLine.getErr(), json(), verbose, env, terminal, stack);
    }

    boolean json() {
        return output == OutputFormat.json;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = HybridMain.class.getPackage().getImplementationVersion();
            return new String[] {"hybrid " + (version == null ? "(development build)" : version),
                    "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"};
        }
    }
}
