package io.nurtureflow.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionBudgetTest {

	@Test
	void aPoolTooSmallForTheJobThreadsIsNamedWithWhatItNeeds() {
		assertThat(ConnectionBudget.advice(12, 10)).contains("NURTURE_DB_POOL_SIZE is 12", "10 job threads need 21");
		assertThat(ConnectionBudget.advice(20, 10)).contains("need 21");
	}

	@Test
	void theDefaultsAndALargerPoolSayNothing() {
		assertThat(ConnectionBudget.advice(20, 6)).isNull();
		assertThat(ConnectionBudget.advice(21, 10)).isNull();
		assertThat(ConnectionBudget.advice(5, 0)).isNull();
	}

}
