/**
 * The in-memory software vault ({@code software}): every key role in one vault, secrets in locked off-heap memory.
 */
module org.hopseal.vault.software {
    requires transitive org.hopseal.api;
    requires org.bouncycastle.provider;
    requires com.sun.jna;
    requires org.slf4j;

    exports org.hopseal.vault.software;

    provides org.hopseal.api.vault.VaultProvider with org.hopseal.vault.software.SoftwareVaultProvider;
}
