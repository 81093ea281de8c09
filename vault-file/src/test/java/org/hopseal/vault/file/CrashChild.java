package org.hopseal.vault.file;

import java.nio.file.Path;
import java.util.HexFormat;
import org.hopseal.api.vault.KeyType;

/**
 * Child process of {@link CrashSafetyTest}: opens the vault and adds keys forever, printing each key's public key
 * once its write has completed. Also, with "hold", opens the vault and waits (to test the lock across processes);
 * with "hold-with-key", adds a key and a record first, printing the key's public key; with "change-passphrase N",
 * opens the vault with the passphrase {@link #passphrase}(N) and changes it to N + 1, N + 2, ... forever, printing
 * "CHANGED i" once the change to i has completed.
 */
public final class CrashChild {
    private CrashChild() {
    }

    /** The passphrase number {@code i} of the "change-passphrase" mode. */
    static String passphrase(long i) {
        return "crash-test-" + i;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 2 && args[1].equals("change-passphrase")) {
            long i = Long.parseLong(args[2]);
            try (FileVault v = FileVault.open(Path.of(args[0]), passphrase(i).toCharArray(), FileVaultContractTest.FAST, true)) {
                System.out.println("OPEN");
                System.out.flush();
                while (true) {
                    i++;
                    v.changePassphrase(passphrase(i).toCharArray());
                    System.out.println("CHANGED " + i);
                    System.out.flush();
                }
            }
        }
        try (FileVault v = FileVault.open(Path.of(args[0]), "crash-test".toCharArray(), FileVaultContractTest.FAST, true)) {
            System.out.println("OPEN");
            System.out.flush();
            if (args.length > 1 && args[1].equals("hold-with-key")) {
                var key = v.generateSigningKey(KeyType.ED25519);
                v.putRecord("held", new byte[] {1});
                System.out.println("KEY " + HexFormat.of().formatHex(v.publicKey(key).bytes()));
                System.out.flush();
                Thread.sleep(60_000);
                return;
            }
            if (args.length > 1 && args[1].equals("hold")) {
                Thread.sleep(60_000);
                return;
            }
            while (true) {
                var key = v.generateSigningKey(KeyType.ED25519);
                System.out.println("WROTE " + HexFormat.of().formatHex(v.publicKey(key).bytes()));
                System.out.flush();
            }
        }
    }
}
