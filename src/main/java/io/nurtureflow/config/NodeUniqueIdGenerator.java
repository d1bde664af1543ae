package io.nurtureflow.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;

import com.fasterxml.uuid.EthernetAddress;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.UUIDTimer;
import com.fasterxml.uuid.impl.TimeBasedGenerator;
import org.camunda.bpm.engine.impl.cfg.IdGenerator;

/**
 * The engine's ids: time-based UUIDs like Camunda's default, with a node address drawn at random
 * for each JVM (RFC 4122, section 4.5) and a clock sequence from {@link SecureRandom}.
 * <p>
 * Camunda's default ({@code StrongUuidGenerator}) takes the address of the host's network card
 * and seeds its clock sequence with the millisecond it was made in. Two nodes on one host (or on
 * hosts that share an address, such as containers on the host's network) made in the same
 * millisecond therefore make the same ids, and their inserts fail on duplicate keys: seen in
 * {@code TwoNodesTest} as a lead refused with 500 and jobs that failed.
 */
final class NodeUniqueIdGenerator implements IdGenerator {

	private final TimeBasedGenerator uuids;

	NodeUniqueIdGenerator() {
		SecureRandom random = new SecureRandom();
		try {
			this.uuids = Generators.timeBasedGenerator(EthernetAddress.constructMulticastAddress(random),
					new UUIDTimer(random, null));
		}
		catch (IOException ex) {
			// only a timestamp synchronizer (a lock file) reads or writes; none is given
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String getNextId() {
		return this.uuids.generate().toString();
	}

	/** This node's address in every id it makes (the last twelve hex digits). */
	String nodeAddress() {
		return this.uuids.getEthernetAddress().toString();
	}

}
