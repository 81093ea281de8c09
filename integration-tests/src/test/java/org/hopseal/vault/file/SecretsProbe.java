package org.hopseal.vault.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.node.Node;
import org.hopseal.core.workers.Echoer;
import org.hopseal.vault.software.SoftwareVerifier;

/**
 * Child process of {@code SecretsIT}: runs handshakes on the software, file and (when given) PKCS#11 vaults, with
 * failures, logging at TRACE; then prints every secret it knows as {@code SECRET <hex>} for the parent to search the
 * logs for. In this package to read the file vault's stored keys.
 */
public final class SecretsProbe {
    private SecretsProbe() {
    }

    public static void main(String[] args) throws Exception {
        String passphrase = "probe passphrase 7f3a";
        Path dir = Files.createTempDirectory("secrets-probe");
        FileVault file = FileVault.open(dir.resolve("probe.vault"), passphrase.toCharArray(), new KdfParameters(8192, 1, 1), true);
        Vaults fileVaults = new Vaults(file, file, new SoftwareVerifier());
        try (Node node = Node.start()) {
            var ctx = node.context();
            ctx.startWorker("echoer", new Echoer());
            Entity bob = Entity.create(ctx, fileVaults);
            Entity alice = Entity.create(ctx);
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
        FileVault again = FileVault.open(dir.resolve("probe.vault"), passphrase.toCharArray(), new KdfParameters(8192, 1, 1), true);
        for (byte[] secret : again.storedSecretsForTesting()) {
            System.out.println("SECRET " + HexFormat.of().formatHex(secret));
        }
        again.close();
        System.out.println("SECRET " + HexFormat.of().formatHex(passphrase.getBytes()));
        String pin = System.getenv("HOPSEAL_TEST_PIN");
        if (pin != null) {
            System.out.println("SECRET " + HexFormat.of().formatHex(pin.getBytes()));
        }
        System.out.println("DONE");
        System.exit(0);
    }
}
