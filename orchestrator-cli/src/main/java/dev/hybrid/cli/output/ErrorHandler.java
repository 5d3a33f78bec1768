package dev.hybrid.cli.output;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/** Errors become one line on stderr (a stack trace only with -v) and, with -o json, a document on stdout. */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler,
        CommandLine.IExitCodeExceptionMapper {
    private final BooleanSupplier json;
    private final BooleanSupplier verbose;

    /** {@code json} and {@code verbose} are asked when an error comes, once the options are parsed. */
    public ErrorHandler(BooleanSupplier json, BooleanSupplier verbose) {
        this.json = json;
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        int code = Errors.exitCode(e);
        report(commandLine, Errors.oneLine(e), code, e);
        return code;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        report(commandLine, e.getMessage(), ExitCodes.USAGE, e);
        if (!json.getAsBoolean()) {
            commandLine.getErr().println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for the options.");
        }
        return ExitCodes.USAGE;
    }

    @Override
    public int getExitCode(Throwable e) {
        return Errors.exitCode(e);
    }

    private void report(CommandLine commandLine, String message, int code, Exception e) {
        PrintWriter err = commandLine.getErr();
        err.println("hybrid: " + message);
        if (verbose.getAsBoolean()) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        if (json.getAsBoolean()) {
            ObjectNode document = JsonNodeFactory.instance.objectNode();
            document.put("command", commandLine.getCommandName());
            document.put("ok", false);
            document.put("exitCode", code);
            document.put("error", message);
            commandLine.getOut().println(document.toPrettyString());
            commandLine.getOut().flush();
        }
    }
}
