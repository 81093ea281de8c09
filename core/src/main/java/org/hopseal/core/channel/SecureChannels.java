package org.hopseal.core.channel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.KeyAgreement;
import org.hopseal.api.identity.PostQuantum;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secure channels between workers, in one node or across nodes, keyed by Noise XX
 * ({@code Noise_XX_25519_AESGCM_SHA256}, the default) or Signal's X3DH.
 *
 * <p>Without an authenticator a channel is encrypted and its ends keep their keys, but nobody's identity is proven
 * (as Ockam's plain {@code SecureChannel}); {@link org.hopseal.api.identity.Entity} adds identities through a
 * {@link ChannelAuthenticator}.
 *
 * <pre>{@code
 * SecureChannels.createListener(ctx, "listener", vaults);
 * Address channel = SecureChannels.create(ctx, Route.of("listener"), vaults);
 * ctx.send(Route.of(channel, Address.of("echoer")), "Hello");
 * }</pre>
 *
 * @since 0.1
 */
public final class SecureChannels {
    private static final Logger LOG = LoggerFactory.getLogger(SecureChannels.class);

    private SecureChannels() {
    }

    /** Accepts plain (unauthenticated) channels at {@code address}. */
    public static void createListener(Context ctx, String address, Vaults vaults) throws HopsealException {
        createListener(ctx, Address.of(address), vaults, null, new TrustEveryonePolicy(), SecureChannelOptions.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * Accepts channels at {@code address}; with an authenticator, peers are authenticated and then checked by
     * {@code trustPolicy}.
     */
    public static void createListener(Context ctx, Address address, Vaults vaults, ChannelAuthenticator authenticator,
            TrustPolicy trustPolicy, Duration handshakeTimeout) throws HopsealException {
        createListener(ctx, address, vaults, authenticator, SecureChannelOptions.defaults().withTrustPolicy(trustPolicy)
                .withHandshakeTimeout(handshakeTimeout));
    }

    /** Accepts channels at {@code address} with every key agreement {@code options} lists (Noise XX, X3DH). */
    public static void createListener(Context ctx, Address address, Vaults vaults, ChannelAuthenticator authenticator,
            SecureChannelOptions options) throws HopsealException {
        requireMeansToCheck(authenticator, options);
        requirePostQuantumPossible(vaults, options);
        AgreementKeyHandle s = authenticator != null ? authenticator.staticKey()
                : vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        ListenerWorker listener = new ListenerWorker(vaults, authenticator, s, authenticator == null, options);
        // A listener is made to face hostile input: any connection or channel may reach it.
        Node.of(ctx).startWorker(address, LocalMessage.class, listener, WorkerOptions.service(Exposure.everyone(), AccessControl.allowAll()));
    }

    /**
     * Opens a channel with the key agreement {@code options} names (Noise XX when it lists it, else X3DH) and waits
     * until both sides have accepted each other. Noise XX is hybrid post-quantum or classical as
     * {@link SecureChannelOptions#postQuantum()} says; under {@code PREFERRED}, a listener's refusal of hybrid is
     * answered by a second, classical handshake.
     */
    public static ChannelInfo create(Context ctx, Route route, Vaults vaults, ChannelAuthenticator authenticator,
            SecureChannelOptions options) throws HopsealException {
        return create(ctx, route, vaults, authenticator, options, ctx.address());
    }

    /**
     * Opens a carrier: a channel whose messages are treated as if they came from a connection its peer opened to
     * this node. They reach only addresses exposed to every channel (a secure-channel listener) or through this one,
     * never the code that opened it nor the application's contexts (which take messages from channels their node's
     * code opened). A relay's registration runs over one, so that its host reaches nothing but this node's listeners.
     */
    public static ChannelInfo createCarrier(Context ctx, Route route, Vaults vaults, ChannelAuthenticator authenticator,
            SecureChannelOptions options) throws HopsealException {
        return create(ctx, route, vaults, authenticator, options, null);
    }

    private static ChannelInfo create(Context ctx, Route route, Vaults vaults, ChannelAuthenticator authenticator,
            SecureChannelOptions options, Address opener) throws HopsealException {
        requireMeansToCheck(authenticator, options);
        requirePostQuantumPossible(vaults, options);
        if (!options.keyAgreements().contains(KeyAgreement.NOISE_XX)) {
            return attempt(ctx, route, vaults, authenticator, options, opener, null);
        }
        boolean hybrid = options.postQuantum() != PostQuantum.OFF && hasKem(vaults);
        try {
            return attempt(ctx, route, vaults, authenticator, options, opener, hybrid);
        } catch (HybridRefusedException refused) {
            if (options.postQuantum() != PostQuantum.PREFERRED) {
                throw new HandshakeException(ErrorKind.UNSUPPORTED, refused.getMessage() + "; this end requires hybrid (postQuantum "
                        + options.postQuantum() + ")", refused);
            }
            LOG.info("the listener at {} does not accept hybrid post-quantum channels; opening a classical one", route);
            return attempt(ctx, route, vaults, authenticator, options, opener, false);
        }
    }

    /** One handshake: Noise XX, hybrid or not, or X3DH when {@code hybrid} is null. */
    private static ChannelInfo attempt(Context ctx, Route route, Vaults vaults, ChannelAuthenticator authenticator,
            SecureChannelOptions options, Address opener, Boolean hybrid) throws HopsealException {
        AgreementKeyHandle s = authenticator != null ? authenticator.staticKey()
                : vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        PeerCheck check = new PeerCheck(authenticator, options);
        HandshakeDriver driver = hybrid != null ? new NoiseXxDriver(true, hybrid, vaults, s, check) : X3dhDriver.initiator(vaults, s, check);
        return open(ctx, route, vaults, driver, check, authenticator == null ? s : null, ChannelTimeouts.of(options), opener);
    }

    private static boolean hasKem(Vaults vaults) {
        return vaults.channel().kemAlgorithms().contains(KemAlgorithm.ML_KEM_768);
    }

    /**
     * A policy that requires hybrid channels cannot be kept with X3DH (which has no hybrid form) nor with a vault that
     * has no ML-KEM: either is refused now, before any handshake.
     */
    private static void requirePostQuantumPossible(Vaults vaults, SecureChannelOptions options) throws HandshakeException {
        if (options.postQuantum() != PostQuantum.REQUIRED) {
            return;
        }
        if (options.keyAgreements().contains(KeyAgreement.X3DH)) {
            throw new HandshakeException(ErrorKind.UNSUPPORTED, "postQuantum REQUIRED takes Noise XX alone: X3DH has no hybrid"
                    + " post-quantum form (key agreements asked: " + options.keyAgreements() + ")");
        }
        if (!hasKem(vaults)) {
            throw new HandshakeException(ErrorKind.UNSUPPORTED, "postQuantum REQUIRED needs ML-KEM-768, which this vault does not offer"
                    + " (a vault's KEM keys are ephemeral software keys; see docs/post-quantum.md)");
        }
    }

    /** Opens a plain channel to the listener at the end of {@code route}; returns this end's address. */
    public static Address create(Context ctx, Route route, Vaults vaults) throws HopsealException {
        return create(ctx, route, vaults, null, new TrustEveryonePolicy(), SecureChannelOptions.DEFAULT_HANDSHAKE_TIMEOUT).encryptor();
    }

    /**
     * Opens a channel to the listener at the end of {@code route} and waits until both sides have accepted each
     * other; returns this end. A refusal, a failure or a timeout stops every worker of the attempt.
     */
    public static ChannelInfo create(Context ctx, Route route, Vaults vaults, ChannelAuthenticator authenticator,
            TrustPolicy trustPolicy, Duration handshakeTimeout) throws HopsealException {
        return create(ctx, route, vaults, authenticator, SecureChannelOptions.defaults().withTrustPolicy(trustPolicy)
                .withHandshakeTimeout(handshakeTimeout));
    }

    /**
     * A trust policy needs identities to check: without an authenticator nobody's identity is proven, so a policy
     * other than trusting everyone would be silently ignored. That is refused instead.
     */
    private static void requireMeansToCheck(ChannelAuthenticator authenticator, SecureChannelOptions options) throws IdentityException {
        if (authenticator == null && !(options.trustPolicy() instanceof TrustEveryonePolicy)) {
            throw new IdentityException(ErrorKind.INVALID, "a trust policy needs authenticated peers, and a plain channel proves no"
                    + " identity: open the channel through an Entity (Entity.createSecureChannel) to apply " + options.trustPolicy());
        }
    }

    /** Starts an initiating end with {@code driver} and waits for the handshake. */
    static ChannelInfo open(Context ctx, Route route, Vaults vaults, HandshakeDriver driver, PeerCheck check,
            AgreementKeyHandle ownedStaticKey, ChannelTimeouts timeouts, Address opener) throws HopsealException {
        Duration handshakeTimeout = timeouts.handshake();
        Address decryptor = Address.random();
        Address encryptor = Address.random();
        CompletableFuture<ChannelInfo> done = new CompletableFuture<>();
        DecryptorWorker worker = DecryptorWorker.initiator(vaults, driver, check, ownedStaticKey, timeouts, encryptor, route, done, opener);
        Node.of(ctx).startWorker(decryptor, LocalMessage.class, worker, DecryptorWorker.options(route.next()));
        try {
            // The worker times the handshake out itself; the margin only guards against a stuck node.
            return done.get(handshakeTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HopsealException he) {
                throw he;
            }
            throw new HandshakeException(ErrorKind.INTERNAL, "secure channel handshake failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            stopQuietly(ctx, decryptor);
            throw new HopsealTimeoutException("secure channel handshake", handshakeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(ctx, decryptor);
            throw new HandshakeException(ErrorKind.SHUTDOWN, "interrupted while opening a secure channel");
        }
    }

    /** Closes a channel end: both of its workers stop, and the peer is told. */
    public static void close(Context ctx, Address channel) throws HopsealException {
        ctx.stopWorker(channel);
    }

    private static void stopQuietly(Context ctx, Address a) {
        try {
            ctx.stopWorker(a);
        } catch (HopsealException ignored) {
            // already gone
        }
    }
}
