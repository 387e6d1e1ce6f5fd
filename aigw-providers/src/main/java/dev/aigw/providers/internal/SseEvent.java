package dev.aigw.providers.internal;

/**
 * One server-sent event.
 *
 * @param event the event name ({@code "message"} when the server gave none)
 * @param data the data lines joined with {@code \n}
 */
public record SseEvent(String event, String data) {}
