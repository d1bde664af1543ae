package io.nurtureflow.journey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.AcquireJobsRunnable;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.SequentialJobAcquisitionRunnable;
import org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Stops the job executor first when the node stops in order, once the web server has: it takes
 * no further job, gives back the jobs it took but had not started, and waits for those running.
 * Only then are the beans the jobs use (the email channel, the connection pool) destroyed.
 * <p>
 * Left to the starter, the executor stops with the engine, among the last beans destroyed: until
 * then it goes on taking jobs, and its threads start them while the email channel and the pool
 * are closed, so they fail, and the failure may not even be stored; the jobs it took but had not
 * started (waiting in its threads' queue, or refused by the full queue and kept for the next
 * round) stay locked, so no node runs them before {@code NURTURE_JOB_LOCK_MS} runs out.
 * <p>
 * Those jobs are given back by Camunda's own runnable, which unlocks each job of its batch
 * rather than run it once the executor is stopped. The running jobs are waited for as long as
 * Spring waits for each stop phase ({@code spring.lifecycle.timeout-per-shutdown-phase}); one
 * still running then is cut off when the node exits.
 */
@Component
class JobExecutorStop implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobExecutorStop.class);

	/** Before the job threads' pool pauses, and after the web server stopped taking requests. */
	static final int PHASE = ExecutorConfigurationSupport.DEFAULT_PHASE + 1;

	private final ProcessEngineConfigurationImpl engine;

	private final Duration patience;

	private volatile boolean running;

	JobExecutorStop(ProcessEngine engine, LifecycleProperties lifecycle) {
		this.engine = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
		this.patience = lifecycle.getTimeoutPerShutdownPhase();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		JobExecutor executor = this.engine.getJobExecutor();
		if (!executor.isActive()) {
			return;
		}
		AcquireJobsRunnable acquisition = executor.getAcquireJobsRunnable();
		executor.shutdown();
		giveBackRefused(executor, acquisition);
		if (executor instanceof SpringJobExecutor spring
				&& spring.getTaskExecutor() instanceof ThreadPoolTaskExecutor threads) {
			ThreadPoolExecutor pool = threads.getThreadPoolExecutor();
			pool.shutdown();
			giveBackQueued(pool);
			awaitRunning(pool);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * The batches the full queue refused in the acquisition's last round, kept for its next (as
	 * Camunda's {@code NotifyAcquisitionRejectedJobsHandler} keeps them).
	 */
	private static void giveBackRefused(JobExecutor executor, AcquireJobsRunnable acquisition) {
		if (!(acquisition instanceof SequentialJobAcquisitionRunnable sequential)) {
			return;
		}
		Map<String, List<List<String>>> refused = sequential.getAcquisitionContext().getRejectedJobsByEngine();
		for (ProcessEngineImpl engine : executor.getProcessEngines()) {
			for (List<String> batch : refused.getOrDefault(engine.getName(), List.of())) {
				executor.getExecuteJobsRunnable(batch, engine).run();
			}
		}
	}

	/** The batches waiting for a thread: given back here rather than behind the jobs running. */
	private static void giveBackQueued(ThreadPoolExecutor pool) {
		List<Runnable> queued = new ArrayList<>();
		pool.getQueue().drainTo(queued);
		queued.forEach(Runnable::run);
	}

	private void awaitRunning(ThreadPoolExecutor pool) {
		try {
			if (!pool.awaitTermination(this.patience.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("{} job(s) still running after {}; cut off when the node exits", pool.getActiveCount(),
						this.patience);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
