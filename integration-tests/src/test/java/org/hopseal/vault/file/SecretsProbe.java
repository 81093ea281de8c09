package org.hopseal.vault.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Echoer;
import org.hopseal.core.node.Node;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.hopseal.vault.software.store.StoredKeyPair;

/**
 * Child process of {@code SecretsIT}: runs handshakes on the software, file and (when given) PKCS#11 vaults, with
 * failures, logging at TRACE; then prints every secret it knows as {@code SECRET <what> <hex>} (identity keys,
 * handshake and session secrets, passphrase, PIN) for the parent to search the logs for. In this package to read the
 * file vault's stored keys from its file (with the format's package-private reader).
 */
public final class SecretsProbe {
    private SecretsProbe() {
    }

    public static void main(String[] args) throws Exception {
        String passphrase = "probe passphrase 7f3a";
        Path dir = Files.createTempDirectory("secrets-probe");
        FileVault file = FileVault.open(dir.resolve("probe.vault"), passphrase.toCharArray(), new KdfParameters(8192, 1, 1), true);
        Vaults fileVaults = new Vaults(file, file, new SoftwareVerifier());
        // Alice's channel vault keeps a copy of every handshake and session secret her handshakes derive.
        SoftwareVault aliceVault = new SoftwareVault();
        RecordingChannelVault recording = new RecordingChannelVault(aliceVault);
        try (Node node = Node.start()) {
            var ctx = node.context();
            ctx.startWorker("echoer", new Echoer());
            Entity bob = Entity.create(ctx, fileVaults);
            Entity alice = Entity.create(ctx, new Vaults(aliceVault, recording, new SoftwareVerifier()));
            bob.createSecureChannelListener("bob");
            bob.createSecureChannelListener("picky", new TrustIdentifierPolicy(new Identifier("I" + "0".repeat(64))));
            ctx.send(Route.of(alice.createSecureChannel("bob"), Address.of("echoer")), "hello");
            ctx.receive(String.class, Duration.ofSeconds(10));
            try {
                alice.createSecureChannel("picky");
            } catch (Exception expected) {
                // a refused handshake, logged on both sides
            }
            try {
                FileVault.open(dir.resolve("probe.vault"), "wrong".toCharArray());
            } catch (Exception expected) {
                // the vault is open: "in use"
            }
            if (args.length > 0) {
                try (Vaults hsm = Vaults.open(args[0])) {
                    Entity carol = Entity.create(ctx, hsm);
                    ctx.send(Route.of(carol.createSecureChannel("bob"), Address.of("echoer")), "from the token");
                    ctx.receive(String.class, Duration.ofSeconds(10));
                }
                try {
                    Vaults.open(args[0].replace("pin-source=env:HOPSEAL_TEST_PIN", "pin-source=env:HOPSEAL_WRONG_PIN")).close();
                } catch (Exception expected) {
                    // wrong PIN
                }
            }
        }
        file.close();
        try {
            FileVault.open(dir.resolve("probe.vault"), "wrong passphrase".toCharArray());
        } catch (Exception expected) {
            // wrong passphrase
        }
        for (byte[] secret : storedPrivateKeys(dir.resolve("probe.vault"), passphrase)) {
            report("identity", secret);
        }
        for (RecordingChannelVault.Kind kind : RecordingChannelVault.Kind.values()) {
            for (byte[] secret : recording.recorded(kind)) {
                report(kind.name().toLowerCase(Locale.ROOT), secret);
            }
        }
        aliceVault.close();
        report("passphrase", passphrase.getBytes());
        String pin = System.getenv("HOPSEAL_TEST_PIN");
        if (pin != null) {
            report("pin", pin.getBytes());
        }
        System.out.println("DONE");
        System.exit(0);
    }

    /** Prints {@code SECRET <what> <hex>} for the parent. */
    private static void report(String what, byte[] secret) {
        System.out.println("SECRET " + what + " " + HexFormat.of().formatHex(secret));
    }

    /** The private keys stored in a vault file, read with its passphrase and the documented format. */
    private static List<byte[]> storedPrivateKeys(Path file, String passphrase) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        VaultFileFormat.Header header = VaultFileFormat.parseHeader(bytes);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(header.kdf().derive(passphrase.toCharArray(), header.salt()), "AES"),
                new GCMParameterSpec(128, header.nonce()));
        aes.updateAAD(header.bytes());
        byte[] contents = aes.doFinal(bytes, VaultFileFormat.HEADER_LENGTH, bytes.length - VaultFileFormat.HEADER_LENGTH);
        return VaultFileFormat.decodeContents(contents).keyPairs().stream().map(StoredKeyPair::privateKey).toList();
    }
}
