/** The {@code hopseal} command. */
module org.hopseal.cli {
    requires org.hopseal.core;
    requires org.hopseal.examples;
    requires info.picocli;

    opens org.hopseal.cli to info.picocli;
}
