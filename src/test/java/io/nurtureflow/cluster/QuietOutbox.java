package io.nurtureflow.cluster;

import java.time.Duration;
import java.util.List;

import io.nurtureflow.support.NodeCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * The outbox, read once the nodes have nothing left to send. A ledger that marks every touch done
 * does not prove that nothing more leaves: a copy may follow a moment later (a retry of a job
 * whose first run had sent it, a job still running on the other node, a send lingering in a
 * thread), and "sent once" holds only once that copy had its chance to arrive. The nodes are
 * quiet when no job of the journeys is locked, none falls due within the settle period, none is
 * left at a step whose touches are checked (however late it is due), and the SMTP server and
 * Twilio took nothing new for the whole settle period, polled rather than slept.
 */
final class QuietOutbox {

	private static final Logger log = LoggerFactory.getLogger(QuietOutbox.class);

	/** Far longer than a send takes here (GreenMail takes an email at once, Twilio answers within 250 ms). */
	static final Duration SETTLE = Duration.ofSeconds(5);

	/** The steps whose touches the cluster tests count at the SMTP server and Twilio. */
	static final List<String> CHECKED_STEPS = List.of(ClusterRecords.ACKNOWLEDGEMENT_EMAIL,
			ClusterRecords.ACKNOWLEDGEMENT_SMS, ClusterRecords.NOTIFY_MANAGERS);

	private final NodeCluster cluster;

	private final ClusterRecords records;

	private long delivered = -1;

	private long quietSince;

	private List<String> pending = List.of();

	private QuietOutbox(NodeCluster cluster, ClusterRecords records) {
		this.cluster = cluster;
		this.records = records;
	}

	/** Waits (up to {@code timeout}) until the nodes are quiet, then reads what arrived. */
	static Outbox read(NodeCluster cluster, ClusterRecords records, Duration timeout) {
		QuietOutbox quiet = new QuietOutbox(cluster, records);
		long started = System.nanoTime();
		Deadline.within(timeout).polledEvery(Duration.ofMillis(250)).await("the nodes to have nothing left to send",
				quiet::quietForTheSettlePeriod, quiet::progress);
		log.info("Nodes quiet for {} s, {} s after the ledger said every checked touch was done; {} emails and SMS",
				SETTLE.toSeconds(), Math.round((System.nanoTime() - started) / 1e9), quiet.delivered);
		return Outbox.of(cluster);
	}

	private boolean quietForTheSettlePeriod() {
		long now = System.nanoTime();
		long arrived = delivered();
		this.pending = this.records.jobsThatMaySend(SETTLE, CHECKED_STEPS);
		if (!this.pending.isEmpty() || arrived != this.delivered) {
			this.delivered = arrived;
			this.quietSince = now;
			return false;
		}
		return now - this.quietSince >= SETTLE.toNanos();
	}

	private long delivered() {
		return this.cluster.smtp().getReceivedMessages().length + this.cluster.twilio()
			.countRequestsMatching(postRequestedFor(urlPathEqualTo(NodeCluster.MESSAGES_PATH)).build())
			.getCount();
	}

	private String progress() {
		return this.delivered + " emails and SMS arrived; jobs that may still send: "
				+ this.pending.stream().limit(10).toList() + ((this.pending.size() > 10) ? " and more" : "");
	}

}
