package dev.llmlab.api;

/** A function call the model made: its id, the function name and the arguments as JSON text. */
public record ToolCall(String id, String name, String arguments) {}
