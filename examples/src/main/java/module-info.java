/** The guide's examples, runnable. */
module org.hopseal.examples {
    requires org.hopseal.api;

    exports org.hopseal.examples;
}
