/** The guide's examples, runnable. */
module org.hopseal.examples {
    requires org.hopseal.api;
    // The Kafka example: Kafka's clients, Hopseal's serializers and the in-process broker (automatic modules).
    requires kafka.clients;
    requires org.hopseal.kafka;
    requires org.hopseal.kafka.broker;

    exports org.hopseal.examples;
}
