package org.hopseal.examples;

import java.util.List;
import java.util.Optional;

/**
 * Every example of this package, in the guide's order: what {@code hopseal example} lists and runs. Each {@code main}
 * is called from a lambda rather than named by a method reference, so that an example's class is loaded only when it
 * runs: listing the examples, or running one, does not need what another needs (Kafka's clients, say).
 */
public final class GuideExamples {
    private static final List<GuideExample> ALL = List.of(
            new GuideExample("Ex01Node", "",
                    "guide 01-node: starts a node and stops it",
                    args -> Ex01Node.main(args)),
            new GuideExample("Ex02Worker", "",
                    "guide 02-worker: an Echoer worker replies to the app",
                    args -> Ex02Worker.main(args)),
            new GuideExample("Ex03Routing", "",
                    "guide 03-routing: through three Hop workers to the Echoer and back",
                    args -> Ex03Routing.main(args)),
            new GuideExample("Ex04Responder", "[HOST:PORT]",
                    "guide 04: an Echoer on raw TCP at HOST:PORT (127.0.0.1:4000; port 0 picks one)",
                    args -> Ex04Responder.main(args)),
            new GuideExample("Ex04Initiator", "[HOST:PORT]",
                    "guide 04: a message to Ex04Responder at HOST:PORT (127.0.0.1:4000)",
                    args -> Ex04Initiator.main(args)),
            new GuideExample("Ex04Middle", "[HOST:PORT]",
                    "guides 04 and 05, two hops: a node at HOST:PORT (127.0.0.1:3000) that forwards",
                    args -> Ex04Middle.main(args)),
            new GuideExample("Ex04TwoHopsInitiator", "[MIDDLE] [RESPONDER]",
                    "guide 04, two hops: through Ex04Middle (127.0.0.1:3000) to Ex04Responder (127.0.0.1:4000)",
                    args -> Ex04TwoHopsInitiator.main(args)),
            new GuideExample("Ex05SecureChannel", "",
                    "guide 05: the Echoer through a Noise XX channel in one node",
                    args -> Ex05SecureChannel.main(args)),
            new GuideExample("Ex05Responder", "[HOST:PORT]",
                    "guide 05, two hops: a channel listener and an Echoer at HOST:PORT (127.0.0.1:4000)",
                    args -> Ex05Responder.main(args)),
            new GuideExample("Ex05Initiator", "[MIDDLE] [RESPONDER]",
                    "guide 05, two hops: a channel through Ex04Middle (127.0.0.1:3000) to Ex05Responder (127.0.0.1:4000)",
                    args -> Ex05Initiator.main(args)),
            new GuideExample("SecureChannelWithEntity", "",
                    "secure channel with entities (hopseal demo): two identities, one authenticated channel",
                    args -> SecureChannelWithEntity.main(args)),
            new GuideExample("KafkaEndToEnd", "",
                    "Kafka end to end (hopseal demo kafka): a record only one consumer identity reads",
                    args -> KafkaEndToEnd.main(args)));

    private GuideExamples() {
    }

    /** All of them, in the guide's order. */
    public static List<GuideExample> all() {
        return ALL;
    }

    /** The example named {@code name} (its class's simple name, in any case), if there is one. */
    public static Optional<GuideExample> named(String name) {
        return ALL.stream().filter(e -> e.name().equalsIgnoreCase(name)).findFirst();
    }
}
