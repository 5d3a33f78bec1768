package dev.hybrid.web;

import dev.hybrid.contract.ClassifyResponse;

/** How one upload ended: a worker's reply, with whether it came from the cache. */
record Outcome(ClassifyResponse response, boolean cached) {}
