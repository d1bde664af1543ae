package io.nurtureflow.config;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.uuid.EthernetAddress;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.UUIDClock;
import com.fasterxml.uuid.UUIDTimer;
import com.fasterxml.uuid.impl.TimeBasedGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's ids stay unique when nodes share a host and start in the same millisecond. */
class NodeUniqueIdGeneratorTest {

	private static final int IDS = 20_000;

	@Test
	void camundasDefaultOnOneHostStartedInOneMillisecondRepeatsItself() throws Exception {
		// what StrongUuidGenerator does: the host's card address, a timer seeded with the
		// millisecond it was made in; here two nodes on one host, one frozen millisecond
		EthernetAddress host = EthernetAddress.valueOf("02:fc:00:00:00:01");
		long startedAt = 1_764_700_000_000L;
		TimeBasedGenerator nodeA = Generators.timeBasedGenerator(host,
				new UUIDTimer(new Random(startedAt), null, frozenAt(startedAt)));
		TimeBasedGenerator nodeB = Generators.timeBasedGenerator(host,
				new UUIDTimer(new Random(startedAt), null, frozenAt(startedAt)));

		assertThat(nodeB.generate()).isEqualTo(nodeA.generate());
	}

	@Test
	void twoNodesMadeAtOnceOnOneHostShareNoId() {
		NodeUniqueIdGenerator nodeA = new NodeUniqueIdGenerator();
		NodeUniqueIdGenerator nodeB = new NodeUniqueIdGenerator();
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < IDS; i++) {
			ids.add(nodeA.getNextId());
			ids.add(nodeB.getNextId());
		}

		assertThat(nodeA.nodeAddress()).isNotEqualTo(nodeB.nodeAddress());
		assertThat(ids).hasSize(2 * IDS);
	}

	@Test
	void idsAreTimeBasedUuidsThatFitTheEnginesColumns() {
		String id = new NodeUniqueIdGenerator().getNextId();

		assertThat(UUID.fromString(id).version()).isEqualTo(1);
		assertThat(id).hasSize(36);
	}

	private static UUIDClock frozenAt(long millis) {
		return new UUIDClock() {

			@Override
			public long currentTimeMillis() {
				return millis;
			}

		};
	}

}
