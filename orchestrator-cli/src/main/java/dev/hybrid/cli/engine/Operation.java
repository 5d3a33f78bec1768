package dev.hybrid.cli.engine;

public enum Operation {
    PLAN, UP, TEARDOWN, STATUS
}
