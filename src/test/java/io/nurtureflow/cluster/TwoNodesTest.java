package io.nurtureflow.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import io.nurtureflow.cluster.ClusterRecords.LedgerRow;
import io.nurtureflow.cluster.Outbox.LeadDeliveries;
import io.nurtureflow.support.NodeCluster;
import io.nurtureflow.support.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes, started at the same moment against one empty PostgreSQL database, take leads pushed
 * alternately through both; the test waits until every journey has made its first three
 * touches: the acknowledgement email and SMS, and (the call SLA running out, as no rep calls)
 * the notice to managers. The ledger, the SMTP server and Twilio then show each exactly once,
 * read when the nodes have nothing left to send ({@link QuietOutbox}), so a late copy counts.
 * <p>
 * 2,000 leads by default (about 6 minutes on a busy 2-core machine, most of it intake);
 * {@code -Dcluster.leads=500} for a quicker run. The deadlines allow 4 leads per second, the
 * worst rate seen with other builds on the same cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesTest {

	private static final Logger log = LoggerFactory.getLogger(TwoNodesTest.class);

	private static final int LEADS = Integer.getInteger("cluster.leads", 2000);

	private static final String RUN = "two";

	private NodeCluster cluster;

	private ClusterRecords records;

	private LeadTraffic traffic;

	private Outbox outbox;

	private List<NodeProcess> nodes;

	@BeforeAll
	void twoNodesTakeLeadsUntilEveryJourneyMadeItsFirstTouches() {
		this.cluster = NodeCluster.onFreshDatabase("two_nodes", Map.of(), List.of());
		this.records = new ClusterRecords(this.cluster.jdbc());
		long began = System.nanoTime();
		NodeProcess a = this.cluster.start("node-a");
		NodeProcess b = this.cluster.start("node-b");
		a.awaitReady(Duration.ofMinutes(3));
		b.awaitReady(Duration.ofMinutes(3));
		long ready = System.nanoTime();
		this.nodes = List.of(a, b);
		this.traffic = new LeadTraffic(RUN, 4, List.<IntSupplier>of(a::port, b::port));
		this.traffic.postUpTo(LEADS);
		this.traffic.awaitAnswered(Duration.ofSeconds(60 + LEADS / 4));
		long posted = System.nanoTime();
		Deadline.within(Duration.ofSeconds(60 + LEADS / 10)).await("every journey's first three touches",
				() -> this.records.leadsAwaitingFirstTouches().isEmpty(),
				() -> this.records.leadsAwaitingFirstTouches().size() + " leads still waiting");
		long touched = System.nanoTime();
		this.outbox = QuietOutbox.read(this.cluster, this.records, Duration.ofMinutes(2));
		log.info("{} leads: both nodes ready after {} s, leads posted in {} s, first three touches {} s later",
				LEADS, seconds(ready - began), seconds(posted - ready), seconds(touched - posted));
		log.info("jobs run per node: {}; failed job runs (retried) per node: {}; CPU time node-a {} s, node-b {} s",
				this.records.successfulJobsByNode(), this.records.failedJobsByNode(), a.cpuTime().toSeconds(),
				b.cpuTime().toSeconds());
	}

	@AfterAll
	void stopNodes() {
		if (this.traffic != null) {
			this.traffic.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void nodesStartingTogetherDeployEachJourneyDecisionAndFormOnce() {
		assertThat(this.records.definitionVersions()).isNotEmpty()
			.containsKey("act_re_procdef:lead-nurture")
			.containsKey("act_re_camformdef:call-outcome")
			.allSatisfy((definition, versions) -> assertThat(versions).as(definition).isEqualTo(1));
		assertThat(this.records.deployments(ClusterRecords.AUTO_DEPLOYMENT)).isEqualTo(1);
	}

	/** The engine's deployment lock, without the nodes' start-up lock in the way. */
	@Test
	void designersDeployingOneChangeThroughBothNodesAtOnceGetOneVersion() throws Exception {
		RestDeployment designer = new RestDeployment("admin", NodeCluster.ADMIN_PASSWORD);
		ExecutorService designers = Executors.newFixedThreadPool(this.nodes.size());
		try {
			for (int round = 1; round <= 5; round++) {
				String key = "deployment-race-" + round;
				CyclicBarrier together = new CyclicBarrier(this.nodes.size());
				List<Future<Integer>> answers = new ArrayList<>();
				for (NodeProcess node : this.nodes) {
					answers.add(designers.submit(() -> {
						together.await();
						return designer.deploy(node.port(), key, RestDeployment.process(key));
					}));
				}
				for (Future<Integer> answer : answers) {
					assertThat(answer.get(1, TimeUnit.MINUTES)).as(key).isEqualTo(200);
				}
				assertThat(this.records.deployments(key)).as(key).isEqualTo(1);
				assertThat(this.records.definitionVersions()).containsEntry("act_re_procdef:" + key, 1L);
			}
		}
		finally {
			designers.shutdownNow();
		}
	}

	@Test
	void everyLeadIsAcceptedOnceAndHasOneJourney() {
		assertThat(this.traffic.statuses()).isEqualTo(Map.of(201, LEADS));
		assertThat(this.records.leads()).hasSize(LEADS).isEqualTo(this.traffic.accepted().keySet());
		Map<UUID, Integer> journeys = this.records.runningJourneys();
		assertThat(journeys.keySet()).isEqualTo(this.records.leads());
		assertThat(journeys.values()).containsOnly(1);
	}

	@Test
	void everyTouchIsInTheLedgerOnceAndSent() {
		Map<String, List<LedgerRow>> byLeadAndStep = this.records.ledger()
			.stream()
			.collect(Collectors.groupingBy((row) -> row.lead() + " " + row.step()));
		assertThat(byLeadAndStep).hasSize(2 * LEADS)
			.allSatisfy((key, rows) -> assertThat(rows).as(key).singleElement().extracting(LedgerRow::status)
				.isEqualTo("SENT"));
		Map<String, Long> steps = byLeadAndStep.values()
			.stream()
			.collect(Collectors.groupingBy((rows) -> rows.get(0).step(), Collectors.counting()));
		assertThat(steps).isEqualTo(Map.of(ClusterRecords.ACKNOWLEDGEMENT_EMAIL, (long) LEADS,
				ClusterRecords.ACKNOWLEDGEMENT_SMS, (long) LEADS));
	}

	@Test
	void everyTouchReachedTheSmtpServerOrTwilioExactlyOnce() {
		Map<String, LeadDeliveries> perLead = new HashMap<>();
		this.traffic.accepted()
			.values()
			.forEach((lead) -> perLead.put(LeadTraffic.email(RUN, lead),
					this.outbox.about(LeadTraffic.email(RUN, lead), LeadTraffic.phone(lead))));
		assertThat(perLead).hasSize(LEADS)
			.allSatisfy((email, deliveries) -> assertThat(deliveries).as(email).isEqualTo(LeadDeliveries.EACH_ONCE));
		assertThat(this.outbox.emailCount()).isEqualTo(2 * LEADS);
		assertThat(this.outbox.smsCount()).isEqualTo(LEADS);
	}

	@Test
	void bothNodesRanJourneyJobsAndNoneBecameAnIncident() {
		assertThat(this.records.successfulJobsByNode()).containsOnlyKeys("node-a", "node-b")
			.allSatisfy((node, jobs) -> assertThat(jobs).as(node).isGreaterThan(LEADS / 10));
		assertThat(this.records.incidents()).isZero();
	}

	private static long seconds(long nanos) {
		return Math.round(nanos / 1e9);
	}

}
