package dev.itembank.api;

import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the Prometheus scrape leaves out. Micrometer's {@code jvm.threads.states} gauges count the threads in each
 * state through {@code ThreadMXBean.getThreadInfo} over every thread, six times per scrape; while threads come and
 * go (job pools, clients) that native call has blocked a scrape here for over a minute (a thread dump of a test's
 * timed-out scrape showed it in {@code ThreadImpl.getThreadInfo1}; micrometer-metrics/micrometer#2832 and #1805
 * report the same). A scrape must not hang on it; the live, daemon and peak thread counts stay.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    MeterFilter withoutThreadStates() {
        return MeterFilter.denyNameStartsWith("jvm.threads.states");
    }
}
