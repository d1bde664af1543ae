package io.nurtureflow.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.nurtureflow.support.NodeCluster;
import io.nurtureflow.support.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes with {@code NURTURE_DEMO=true}, started at the same moment against one empty
 * PostgreSQL database, as a first try of several nodes starts them: one loads the demo, the other
 * waits until it is loaded whole and then leaves it be. Without the wait, the second node found
 * the leads loaded so far, skipped the demo, and its job executor ran the half-loaded demo's jobs
 * on the real clock until the loading node died on a touch sent twice.
 * <p>
 * 60 leads over three weeks, so the load outlasts the other node's start-up (about 2 minutes in
 * all on a busy 2-core machine, most of it the load and the second start-up one after the other).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesDemoTest {

	private static final Logger log = LoggerFactory.getLogger(TwoNodesDemoTest.class);

	private static final int LEADS = 60;

	private static final String LOADING = "Loading demo data";

	private NodeCluster cluster;

	private List<NodeProcess> nodes;

	@BeforeAll
	void twoNodesWithTheDemoStartTogetherOnAnEmptyDatabase() {
		this.cluster = NodeCluster.onFreshDatabase("two_nodes_demo", Map.of("NURTURE_DEMO", "true",
				"NURTURE_DEMO_LEADS", String.valueOf(LEADS), "NURTURE_DEMO_WEEKS", "3"), List.of());
		long began = System.nanoTime();
		NodeProcess a = this.cluster.start("node-a");
		NodeProcess b = this.cluster.start("node-b");
		a.awaitReady(Duration.ofMinutes(5));
		b.awaitReady(Duration.ofMinutes(5));
		this.nodes = List.of(a, b);
		log.info("Both nodes ready after {} s", Math.round((System.nanoTime() - began) / 1e9));
	}

	@AfterAll
	void stopNodes() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void oneNodeLoadsTheDemo() {
		assertThat(this.nodes).filteredOn((node) -> node.logged(LOADING)).hasSize(1);
	}

	@Test
	void theOtherNodeFindsTheDemoWholeAndAddsNothing() {
		long leads = count("select count(*) from lead");
		assertThat(this.nodes).filteredOn((node) -> !node.logged(LOADING))
			.singleElement()
			.satisfies((node) -> assertThat(node.logged("this one has " + leads + " leads, so none were added"))
				.as("found all %d leads; its log ends:%n%s", leads, node.logTail())
				.isTrue());
	}

	@Test
	void everyDemoLeadCameInOnce() {
		assertThat(count("select count(*) from lead where email like 'demo-%' and email not like 'demo-referral-%'"))
			.isEqualTo(LEADS);
		assertThat(count("select count(*) from engagement_event where type = 'RECONVERSION' and detail = 'demo'"))
			.as("demo leads submitted again")
			.isZero();
	}

	private long count(String sql) {
		JdbcClient jdbc = this.cluster.jdbc();
		return jdbc.sql(sql).query(Long.class).single();
	}

}
