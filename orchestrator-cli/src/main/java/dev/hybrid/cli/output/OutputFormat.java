package dev.hybrid.cli.output;

public enum OutputFormat {
    text, json
}
