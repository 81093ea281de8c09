/** The PKCS#11 vault ({@code pkcs11:...}): identity and agreement keys inside a token, HKDF and AEAD in software. */
module org.hopseal.vault.pkcs11 {
    requires transitive org.hopseal.api;
    requires org.hopseal.vault.software;
    requires ipkcs11wrapper;
    requires org.slf4j;

    exports org.hopseal.vault.pkcs11;

    provides org.hopseal.api.vault.VaultProvider with org.hopseal.vault.pkcs11.Pkcs11VaultProvider;
}
