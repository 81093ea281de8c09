/** The {@code hopseal} command. */
module org.hopseal.cli {
    requires org.hopseal.core;
    requires org.hopseal.examples;
    requires org.hopseal.vault.file;
    requires org.hopseal.vault.pkcs11;
    requires info.picocli;
    requires org.snakeyaml.engine;
    requires micrometer.registry.prometheus;
    requires jdk.httpserver;

    opens org.hopseal.cli to info.picocli;
}
