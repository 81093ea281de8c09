/** The file vault ({@code file:PATH}): the software vault's keys, persisted encrypted in one file. */
module org.hopseal.vault.file {
    requires transitive org.hopseal.api;
    requires transitive org.hopseal.vault.software;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports org.hopseal.vault.file;

    provides org.hopseal.api.vault.VaultProvider with org.hopseal.vault.file.FileVaultProvider;
}
