package dev.hybrid.cli.output;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Where confirmations come from; only an interactive terminal is ever asked. */
public interface Terminal {
    /** Whether a person can answer: stdin and stdout are a terminal. */
    boolean interactive();

    /** One line of input, or null at end of input. */
    String readLine();

    public static Terminal system() {
        return new Terminal() {
            @Override
            public boolean interactive() {
                Console console = System.console();
                return console != null;
            }

            @Override
            public String readLine() {
                try {
                    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                } catch (IOException e) {
                    return null;
                }
            }
        };
    }
}
