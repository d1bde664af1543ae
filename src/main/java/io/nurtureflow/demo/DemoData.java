package io.nurtureflow.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import io.nurtureflow.channel.email.ManagerNotifications;
import io.nurtureflow.engagement.EngagementRecorder;
import io.nurtureflow.lead.LeadConsent;
import io.nurtureflow.lead.LeadIntake;
import io.nurtureflow.lead.LeadValidator;
import io.nurtureflow.touch.policy.ContactWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Loads demo data on start-up when {@code nurture.demo.load=true} ({@code NURTURE_DEMO=true}), and
 * only into an empty database: weeks of leads that went through the real intake and journeys on
 * the engine clock, so the insight pages have something to show on the first run.
 *
 * <p>Moving the engine clock is safe here because application runners run before Camunda's job
 * executor starts (it starts on {@code ApplicationReadyEvent}); the clock is back to real time
 * before the runner returns, whatever happens. Other nodes' executors are kept off the demo's
 * jobs too: on PostgreSQL this runner runs under the nodes' start-up lock ({@code StartupLock},
 * held until the node is ready), so of nodes starting together on an empty database one loads the
 * demo, and the others wait for their start-up until it is loaded, then find it there.
 */
@Component
@ConditionalOnProperty(prefix = "nurture.demo", name = "load", havingValue = "true")
class DemoData implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	/** One seed, so every demo tells the same story. */
	static final long SEED = 20260302L;

	private final DemoProperties properties;

	private final DemoEngine engine;

	private final LeadValidator validator;

	private final LeadIntake intake;

	private final EngagementRecorder engagement;

	private final LeadConsent consent;

	private final Environment environment;

	private final LoggingSystem logging;

	DemoData(DemoProperties properties, DemoEngine engine, LeadValidator validator, LeadIntake intake,
			EngagementRecorder engagement, LeadConsent consent, Environment environment, LoggingSystem logging) {
		this.properties = properties;
		this.engine = engine;
		this.validator = validator;
		this.intake = intake;
		this.engagement = engagement;
		this.consent = consent;
		this.environment = environment;
		this.logging = logging;
	}

	@Override
	public void run(ApplicationArguments args) {
		long existing = this.engine.leads();
		if (existing > 0) {
			log.info("Demo data is loaded only into an empty database; this one has {} leads, so none were added",
					existing);
			return;
		}
		Instant end = Instant.now();
		Instant start = DemoScript.start(end, this.properties.weeks());
		log.info("Loading demo data: about {} leads since {}, through the real journeys on the engine clock",
				this.properties.leads(), start);
		long began = System.nanoTime();
		DemoSimulation simulation = new DemoSimulation(this.engine, script(), new DemoPeople(SEED), this.validator,
				this.intake, this.engagement, this.consent);
		// every simulated SLA miss would log a manager notice; the summary counts them instead
		String notices = ManagerNotifications.class.getName();
		LoggerConfiguration noticeLevel = this.logging.getLoggerConfiguration(notices);
		this.logging.setLogLevel(notices, LogLevel.ERROR);
		try {
			simulation.run(start, end, this.properties.leads(), SEED);
		}
		finally {
			this.engine.realTime();
			this.logging.setLogLevel(notices, (noticeLevel != null) ? noticeLevel.getConfiguredLevel() : null);
		}
		Duration took = Duration.ofNanos(System.nanoTime() - began);
		DemoEngine.Summary summary = this.engine.summary();
		log.info("Demo data loaded in {} s: {} leads, {} touches made, {} calls logged ({} call SLAs missed), "
				+ "{} sales-qualified, {} converted to customers, {} tasks open; see {}/insights", took.toSeconds(),
				summary.leads(), summary.touches(), summary.callsCompleted(), summary.slaMissed(),
				summary.salesQualified(), summary.customers(), summary.openTasks(),
				this.environment.getProperty("nurture.tracking.public-url", ""));
		if (simulation.refused() + simulation.failedSteps() + summary.failedJobs() + summary.incidents() > 0) {
			log.warn("Demo data: {} leads refused, {} steps failed, {} jobs failed, {} incidents (see Cockpit)",
					simulation.refused(), simulation.failedSteps(), summary.failedJobs(), summary.incidents());
		}
	}

	/** Reps keep the business hours the journeys count call SLAs in. */
	private DemoScript script() {
		ContactWindow hours = ContactWindow.parse(
				this.environment.getProperty("nurture.journey.business-hours", "08:00-18:00"),
				this.environment.getProperty("nurture.journey.business-days", "MON-FRI"));
		return new DemoScript(hours, ZoneId.of(this.environment.getProperty("nurture.journey.business-zone", "UTC")));
	}

}
