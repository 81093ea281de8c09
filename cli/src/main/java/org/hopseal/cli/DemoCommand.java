package org.hopseal.cli;

import java.util.concurrent.Callable;
import org.hopseal.examples.KafkaEndToEnd;
import org.hopseal.examples.SecureChannelWithEntity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs the guide's main example (or the Kafka example) in-process on in-memory vaults. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the guide's secure-channel example (two entities, a mutually authenticated channel) in this process and prints the Echoer's reply.",
                "With 'kafka': starts a Kafka broker in this process, encrypts a record for one consumer identity, and shows what the broker stores, what that consumer reads and how another is refused."},
        footer = {"", "Examples:", "  hopseal demo", "  hopseal demo kafka"})
final class DemoCommand implements Callable<Integer> {
    /** Which example: the secure channel (default) or Kafka. */
    enum Example { channel, kafka }

    @Parameters(arity = "0..1", defaultValue = "channel", paramLabel = "EXAMPLE", description = "channel (the default) or kafka")
    Example example;

    @Override
    public Integer call() throws Exception {
        if (example == Example.kafka) {
            KafkaEndToEnd.main(new String[0]);
        } else {
            SecureChannelWithEntity.main(new String[0]);
        }
        return 0;
    }
}
