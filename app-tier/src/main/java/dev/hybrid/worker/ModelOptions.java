package dev.hybrid.worker;

/** The model flags as given; the model package turns them into a loaded classifier. */
record ModelOptions(String url, String labels, String profile) {}
