package io.nurtureflow.config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * One node at a time sets up a shared PostgreSQL database. Nodes that start together against an
 * empty database would otherwise each create the engine's tables, and all but one fail to start
 * ({@code duplicate key value violates unique constraint "pg_type_typname_nsp_index"}); the
 * engine serialises only its deployments, and Flyway, the seeding of users, groups,
 * authorizations and Tasklist filters would race as well.
 * <p>
 * So a node takes a PostgreSQL advisory lock as soon as its data source exists, before Flyway or
 * the engine use it, and holds it until the node is ready: migrations, the engine with its
 * schema, identities and deployment, and then the start-up runners. A node that starts later
 * finds all of it done. It is a transaction-level lock in a transaction of its own that ends with
 * the start-up: a node that dies while holding it lets go with its session, and the pooled
 * connection can never keep it. H2 serves one node only and is not locked.
 * <p>
 * The runners are the demo data's: it decides whether the database is empty and then fills it
 * on the engine clock, running the demo's jobs itself. Released before them, the lock let the
 * next node start meanwhile: it found the leads loaded so far and skipped the demo, but its job
 * executor ran the half-loaded demo's jobs on the real clock, and the loading node died on a
 * touch that node had sent first. Held through them, a node that starts meanwhile waits, with
 * its job executor not started yet, and finds the demo whole.
 */
class StartupLock implements BeanPostProcessor, ApplicationListener<ApplicationReadyEvent>, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(StartupLock.class);

	/** Any number, the same on every node: "nurtureflow startup" as a 64-bit key. */
	static final long KEY = 0x6e75_7274_7572_6531L;

	private static final Duration PATIENCE = Duration.ofMinutes(10);

	private Connection holder;

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && "dataSource".equals(beanName)) {
			acquire(dataSource);
		}
		return bean;
	}

	/** Comes after the runners, and before or after the job executor starts: either is fine. */
	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		release();
	}

	/** A start that failed half-way lets go too. */
	@Override
	public void destroy() {
		release();
	}

	private synchronized void acquire(DataSource dataSource) {
		try {
			Connection connection = dataSource.getConnection();
			if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
				connection.close();
				return;
			}
			connection.setAutoCommit(false);
			long deadline = System.nanoTime() + PATIENCE.toNanos();
			boolean waiting = false;
			while (!tryLock(connection)) {
				if (!waiting) {
					log.info("Another node is setting up the database; waiting for it to finish");
					waiting = true;
				}
				if (System.nanoTime() > deadline) {
					connection.close();
					throw new IllegalStateException("Another node held the start-up lock for more than " + PATIENCE);
				}
				Thread.sleep(250);
			}
			this.holder = connection;
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException("Could not take the start-up lock", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the start-up lock", ex);
		}
	}

	private static boolean tryLock(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
			statement.setLong(1, KEY);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}
	}

	private synchronized void release() {
		if (this.holder == null) {
			return;
		}
		try (Connection connection = this.holder) {
			connection.rollback();
			connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			// the pool rolls back what it is given back, and a broken session ends on the server
			log.warn("Could not end the start-up lock's transaction: {}", ex.toString());
		}
		finally {
			this.holder = null;
		}
	}

}
