package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalMessageOriginTest {
    private static final Origin FROM_OUTSIDE = new Origin.Transport(Address.of("1#10.0.0.7:4000"), true);
    private static final TransportMessage TM = new TransportMessage(Route.of("a", "b"), Route.of("r"), new byte[] {1});

    @Test
    void constructorsWithoutAnOriginGiveLocal() {
        assertThat(new LocalMessage(TM).origin()).isSameAs(Origin.LOCAL);
        assertThat(new LocalMessage(TM, Map.of("k", "v")).origin()).isSameAs(Origin.LOCAL);
        assertThat(new LocalMessage(TM, Map.of("k", "v")).localInfo("k")).contains("v");
        assertThatNullPointerException().isThrownBy(() -> new LocalMessage(TM, Map.of(), null));
    }

    @Test
    void everyDerivedMessageKeepsItsOrigin() {
        LocalMessage m = new LocalMessage(TM, Map.of(), FROM_OUTSIDE);
        assertThat(m.origin()).isEqualTo(FROM_OUTSIDE);

        LocalMessage info = m.withLocalInfo("k", "v");
        assertThat(info.origin()).isEqualTo(FROM_OUTSIDE);
        assertThat(info.localInfo("k")).contains("v");

        TransportMessage other = new TransportMessage(Route.of("x"), Route.empty(), new byte[0]);
        LocalMessage replaced = m.withTransportMessage(other);
        assertThat(replaced.origin()).isEqualTo(FROM_OUTSIDE);
        assertThat(replaced.transportMessage()).isEqualTo(other);

        LocalMessage stepped = m.stepForward();
        assertThat(stepped.origin()).isEqualTo(FROM_OUTSIDE);
        assertThat(stepped.onwardRoute()).isEqualTo(Route.of("b"));

        LocalMessage prepended = m.prependReturn(Address.local("hop"));
        assertThat(prepended.origin()).isEqualTo(FROM_OUTSIDE);
        assertThat(prepended.returnRoute()).isEqualTo(Route.of("hop", "r"));
    }

    @Test
    void localInformationSurvivesTheSameSteps() {
        LocalMessage m = new LocalMessage(TM, Map.of("note", "enc1"), FROM_OUTSIDE);
        assertThat(m.stepForward().prependReturn(Address.local("hop")).localInfo("note")).contains("enc1");
    }

    @Test
    void withOriginReplacesOnlyTheOrigin() {
        LocalMessage m = new LocalMessage(TM, Map.of("k", "v"));
        LocalMessage outside = m.withOrigin(FROM_OUTSIDE);
        assertThat(outside.origin()).isEqualTo(FROM_OUTSIDE);
        assertThat(outside.transportMessage()).isEqualTo(TM);
        assertThat(outside.localInfo()).isEqualTo(Map.of("k", "v"));
        assertThat(m.origin()).isSameAs(Origin.LOCAL);
        assertThat(outside.withOrigin(Origin.LOCAL).origin().isLocal()).isTrue();
    }
}
