package dev.hybrid.contract;

/** An object in S3, used as a claim check for images too large to travel inline. */
public record S3Ref(String bucket, String key) {}
