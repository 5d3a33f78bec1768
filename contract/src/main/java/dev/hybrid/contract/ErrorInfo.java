package dev.hybrid.contract;

/** Why a worker could not classify an image. Codes are the constants of {@link ErrorCode}. */
public record ErrorInfo(String code, String message) {}
