/**
 * The in-memory software vault ({@code software}): every key role in one vault, secrets in locked off-heap memory.
 */
@SuppressWarnings("module") // the file vault's module, which the seam is exported to, is built after this one
module org.hopseal.vault.software {
    requires transitive org.hopseal.api;
    requires org.bouncycastle.provider;
    requires com.sun.jna;
    requires org.slf4j;

    exports org.hopseal.vault.software;
    // The persistence seam, through which private keys reach storage: for the file vault only.
    exports org.hopseal.vault.software.store to org.hopseal.vault.file;

    provides org.hopseal.api.vault.VaultProvider with org.hopseal.vault.software.SoftwareVaultProvider;
}
