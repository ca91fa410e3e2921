package io.sluice.rest.hub;

import io.sluice.core.hub.HubQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /hub/events}: a server-sent-events stream with one {@code state} event per connector or
 * task state change. The stream starts with a {@code ready} event; a client reconnects after the
 * stream times out. Thread-safe: events are sent from the subscription's thread.
 */
@RestController
@Tag(name = "hub")
public class HubEventsController {

    /** How long one stream stays open; clients (EventSource) reconnect by themselves. */
    static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

    private final HubQueries hub;

    public HubEventsController(HubQueries hub) {
        this.hub = hub;
    }

    @GetMapping(path = "/hub/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-sent events: one 'state' event per connector or task state change")
    public SseEmitter events() throws IOException {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        AtomicReference<HubQueries.Subscription> subscription = new AtomicReference<>();
        Runnable unsubscribe = () -> {
            HubQueries.Subscription s = subscription.getAndSet(null);
            if (s != null) {
                s.close();
            }
        };
        emitter.onCompletion(unsubscribe);
        emitter.onTimeout(unsubscribe);
        emitter.onError(e -> unsubscribe.run());
        emitter.send(SseEmitter.event().name("ready").data("{}", MediaType.APPLICATION_JSON));
        subscription.set(hub.subscribe(change -> {
            try {
                emitter.send(
                        SseEmitter.event().name("state").data(HubJson.Change.of(change), MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException gone) {
                unsubscribe.run();
                emitter.completeWithError(gone);
            }
        }));
        return emitter;
    }
}
