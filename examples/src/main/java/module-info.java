/** The guide's examples, runnable. */
module org.hopseal.examples {
    requires org.hopseal.core;
    requires org.hopseal.vault.software;

    exports org.hopseal.examples;
}
