package dev.hybrid.worker;

/** The model flags as given; the model package turns them into a loaded classifier. {@code memoryBudgetMb} null: derived. */
record ModelOptions(String url, String labels, String profile, Long memoryBudgetMb) {
    ModelOptions(String url, String labels, String profile) {
        this(url, labels, profile, null);
    }
}
