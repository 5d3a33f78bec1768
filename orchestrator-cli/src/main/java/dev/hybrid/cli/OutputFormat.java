package dev.hybrid.cli;

public enum OutputFormat {
    text, json
}
