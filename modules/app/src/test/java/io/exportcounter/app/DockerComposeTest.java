package io.exportcounter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.exportcounter.kafka.EmbeddedKafkaBroker;
import io.exportcounter.notifier.Notifier;
import io.exportcounter.notifier.NotifierConfig;
import io.exportcounter.notifier.NotifierTopics;
import io.exportcounter.pipeline.PipelineRunner;
import io.exportcounter.pipeline.config.PipelineConfig;
import io.exportcounter.pipeline.config.PipelineConfigException;
import io.exportcounter.serving.ServingServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * There is no Docker engine in CI, so this proves docker/docker-compose.yml consistent with the code
 * instead of running it: commands go through the real picocli model, mounted properties files through
 * the real PipelineConfig / NotifierConfig, topic-init.sh runs against a recording kafka-topics and is
 * compared with the topics PipelineRunner and NotifierTopics create on a real broker, the metric
 * names of the Grafana dashboard and of the Prometheus alert rules are looked up in what a real pipeline
 * instance or a real notifier serves on /metrics, and the Alertmanager configuration is checked by amtool.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Labels Prometheus adds to every scraped series; our code does not export them. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    /** Series Prometheus makes itself for every target (1 when the scrape worked); not on /metrics. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    /** The Prometheus jobs of prometheus.yml: the pipeline instances and the notifier. */
    private static final String PIPELINE_JOB = "export-counter";
    private static final String NOTIFIER_JOB = "export-counter-notifier";
    /** Alertmanager's port unless --web.listen-address says otherwise. */
    private static final int ALERTMANAGER_PORT = 9093;

    private static JsonNode compose;
    private static EmbeddedKafkaBroker broker;
    private static Scrape realScrape;
    private static Scrape realNotifierScrape;

    @BeforeAll
    static void load() throws IOException {
        compose = YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile());
        broker = EmbeddedKafkaBroker.builder().build().start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    // ------------------------------------------------------------------ services and commands

    @Test
    void every_command_of_our_image_parses_with_the_launchers_picocli_model() {
        List<String> ours = appServices();
        assertThat(ours).contains("pipeline-1", "pipeline-2", "notifier");
        for (String name : ours) {
            JsonNode service = service(name);
            assertThat(service.path("build").path("dockerfile").asText()).as(name).isEqualTo("docker/Dockerfile");
            assertThat(DOCKER.resolve(service.path("build").path("context").asText()).normalize()).as(name).isEqualTo(ROOT);
            // Throws a ParameterException (an unknown command or option, a missing --config) like the image would.
            ParseResult parsed = new ExportCounterCli().commandLine().parseArgs(command(name).toArray(String[]::new));
            assertThat(parsed.subcommand()).as(name + " names a command").isNotNull();
        }
        assertThat(Files.exists(ROOT.resolve("docker/Dockerfile"))).isTrue();
    }

    @Test
    void a_misspelt_option_in_a_command_would_fail() {
        assertThatThrownBy(() -> new ExportCounterCli().commandLine()
                .parseArgs("pipeline", "--config", "x.properties", "--http-prot", "8080"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void the_pipeline_instances_share_one_application_and_each_has_its_own_host_state_and_port() throws IOException {
        List<String> pipelines = pipelineServices();
        assertThat(pipelines).hasSizeGreaterThanOrEqualTo(2);
        Set<String> applicationIds = new HashSet<>();
        Set<String> stateVolumes = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        Properties first = null;
        for (String name : pipelines) {
            PipelineConfig config = pipelineConfig(name);
            Properties streams = PipelineRunner.streamsProperties(config);
            // Kafka Streams' own parsing of every value (a bad number or enum fails here).
            new StreamsConfig(streams);
            assertKnownStreamsKeys(name, config);
            applicationIds.add(streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
            assertThat(streams.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).as(name).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
            assertThat(streams.getProperty(StreamsConfig.REPLICATION_FACTOR_CONFIG)).as(name).isEqualTo("3");
            assertThat(Integer.parseInt(streams.getProperty(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0"))).as(name).isGreaterThanOrEqualTo(1);
            assertThat(config.httpAdvertisedHost()).as(name + " advertises its service name").isEqualTo(name);
            assertThat(streams.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo(name + ":" + config.httpPort());
            assertThat(config.replicationFactor()).as(name).isEqualTo((short) 3);
            assertThat(config.createMissingTopics()).as(name + ": topic-init creates the topics").isFalse();

            String stateVolume = namedVolumeHolding(name, streams.getProperty(StreamsConfig.STATE_DIR_CONFIG));
            assertThat(stateVolume).as(name + ": state.dir on a named volume").isNotNull();
            stateVolumes.add(stateVolume);

            String published = publishedPort(name, config.httpPort());
            assertThat(published).as(name + " publishes http.port").isNotNull();
            hostPorts.add(published);

            Properties withoutHost = config.toProperties();
            withoutHost.remove("http.advertised-host");
            if (first == null) {
                first = withoutHost;
            } else {
                assertThat(new TreeMap<>(withoutHost)).as(name + " differs from the first instance only in http.advertised-host")
                        .isEqualTo(new TreeMap<>(first));
            }
        }
        assertThat(applicationIds).hasSize(1);
        assertThat(stateVolumes).as("one state volume per instance").hasSize(pipelines.size());
        assertThat(hostPorts).as("one host port per instance").hasSize(pipelines.size());
    }

    @Test
    void a_bad_key_in_a_mounted_pipeline_file_fails_the_loading_used_here(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("pipeline.properties");
        Files.writeString(bad, Files.readString(mountedFile("pipeline-1", "/etc/export-counter/pipeline.properties"))
                + "\nhttp.prot=8080\n");
        assertThatThrownBy(() -> PipelineConfig.load(bad)).isInstanceOf(PipelineConfigException.class).hasMessageContaining("http.prot");
    }

    @Test
    void the_notifier_config_loads_with_the_environment_compose_gives_it() throws IOException {
        NotifierConfig config = notifierConfig();
        assertThat(config.consumerProperties()).isNotEmpty();
        assertThat(config.producerProperties()).isNotEmpty();
        assertThat(config.replicationFactor()).isEqualTo((short) 3);
        assertThat(config.createMissingTopics()).isFalse();
        if (config.outboxEnabled()) {
            assertThat(namedVolumeHolding("notifier", config.outboxFile().toString())).as("outbox on a named volume").isNotNull();
        }
        assertThat(config.metricsPort()).as("the notifier serves its metrics (metrics.port)").isNotNull().isPositive();
        assertThat(publishedPort("notifier", config.metricsPort())).as("notifier publishes metrics.port").isNotNull();
    }

    @Test
    void every_bootstrap_server_is_a_listener_of_a_kafka_service() throws IOException {
        Map<String, String> bootstraps = new LinkedHashMap<>();
        for (String name : pipelineServices()) {
            bootstraps.put(name, PipelineRunner.streamsProperties(pipelineConfig(name)).getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        }
        bootstraps.put("notifier", notifierConfig().bootstrapServers());
        bootstraps.put("topic-init", environment("topic-init").get("BOOTSTRAP_SERVERS"));
        for (String name : appServices()) {
            String option = optionValue(name, "--bootstrap-server");
            if (option != null) {
                bootstraps.put(name, option);
            }
        }
        List<String> kafkaServices = kafkaServices();
        assertThat(kafkaServices).hasSize(3);
        bootstraps.forEach((client, servers) -> {
            assertThat(servers).as(client).isNotBlank();
            for (String server : servers.split(",")) {
                String host = server.trim().substring(0, server.trim().lastIndexOf(':'));
                assertThat(kafkaServices).as(client + ": " + server).contains(host);
                assertThat(environment(host).get("KAFKA_ADVERTISED_LISTENERS")).as(client + ": " + server).contains("://" + server.trim());
            }
        });
        // Every node votes in the same quorum under its own id, and they share one cluster id.
        Set<String> voters = new TreeSet<>();
        Set<String> clusterIds = new HashSet<>();
        for (String name : kafkaServices) {
            Map<String, String> env = environment(name);
            voters.add(env.get("KAFKA_NODE_ID") + "@" + name + ":9093");
            clusterIds.add(env.get("CLUSTER_ID"));
            assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).as(name).isEqualTo("2");
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).as(name).isEqualTo("3");
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).as(name).isEqualTo("2");
            assertThat(env.get("KAFKA_LISTENERS")).as(name).contains("CONTROLLER://:9093");
        }
        for (String name : kafkaServices) {
            assertThat(new TreeSet<>(List.of(environment(name).get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")))).as(name).isEqualTo(voters);
        }
        assertThat(clusterIds).hasSize(1);
    }

    @Test
    void services_start_in_order() {
        for (String name : names(compose.path("services"))) {
            JsonNode dependsOn = service(name).path("depends_on");
            for (String target : names(dependsOn)) {
                String condition = dependsOn.path(target).path("condition").asText();
                assertThat(services()).as(name + " depends on " + target).contains(target);
                if (condition.equals("service_healthy")) {
                    assertThat(service(target).has("healthcheck")).as(target + " needs a healthcheck for " + name).isTrue();
                }
            }
        }
        for (String kafka : kafkaServices()) {
            assertThat(condition("topic-init", kafka)).isEqualTo("service_healthy");
        }
        for (String name : appServices()) {
            assertThat(condition(name, "topic-init")).as(name).isEqualTo("service_completed_successfully");
        }
        for (String name : pipelineServices()) {
            assertThat(service(name).has("healthcheck")).as(name).isTrue();
        }
        assertThat(condition("grafana", "prometheus")).isEqualTo("service_healthy");
    }

    // ------------------------------------------------------------------ topics

    @Test
    void topic_init_creates_every_topic_as_the_code_would_with_three_replicas_and_min_isr_two(@TempDir Path dir)
            throws Exception {
        assumeThat(Files.isExecutable(Path.of("/bin/sh"))).as("a POSIX shell").isTrue();
        Map<String, Map<String, String>> created = runTopicInit(dir);

        // What the pipeline and the notifier create themselves, with the compose files' partitions, on a real broker.
        PipelineConfig pipeline = pipelineConfig(pipelineServices().get(0))
                .with(PipelineConfig.STREAMS_PREFIX + "bootstrap.servers", broker.bootstrapServers())
                .with("topics.replication-factor", "-1");
        PipelineRunner.createMissingTopics(pipeline);
        NotifierTopics.createMissing(notifierConfig().with("kafka.bootstrap.servers", broker.bootstrapServers())
                .with("topics.replication-factor", "-1"));
        List<String> named = List.of(pipeline.declarationsTopic(), pipeline.ratesTopic(), pipeline.ratesByWeekTopic(),
                pipeline.stageOnePaceTopic(),
                pipeline.totalsTopic(), pipeline.milestonesTopic(), pipeline.rejectedTopic(), notifierConfig().milestonesTopic(),
                notifierConfig().deliveredTopic(), notifierConfig().deadLetterTopic());
        // The broker's metadata follows the controller's a moment later.
        Map<String, Map<String, String>> expected = await().atMost(Duration.ofSeconds(30))
                .until(DockerComposeTest::topicsOnBroker, topics -> topics.keySet().containsAll(named));
        assertThat(created.keySet()).isEqualTo(expected.keySet());
        for (String topic : expected.keySet()) {
            Map<String, String> want = new TreeMap<>(expected.get(topic));
            want.put("replication-factor", "3");
            want.put("min.insync.replicas", "2");
            assertThat(new TreeMap<>(created.get(topic))).as(topic).isEqualTo(want);
        }
    }

    /** Runs the mounted topic-init script with the compose environment against a kafka-topics that records its arguments. */
    private Map<String, Map<String, String>> runTopicInit(Path dir) throws IOException, InterruptedException {
        List<String> entrypoint = strings(service("topic-init").path("entrypoint"));
        assertThat(entrypoint).hasSize(2);
        Path script = mountedFile("topic-init", entrypoint.get(1));
        Path calls = dir.resolve("calls.txt");
        Path fake = dir.resolve("kafka-topics.sh");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> \"$CALLS\"\necho -- >> \"$CALLS\"\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();

        Map<String, String> env = new HashMap<>(environment("topic-init"));
        env.put("TOPICS_FILE", mountedFile("topic-init", env.get("TOPICS_FILE")).toString());
        env.put("KAFKA_TOPICS", fake.toString());
        env.put("CALLS", calls.toString());
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        Map<String, Map<String, String>> topics = new TreeMap<>();
        List<String> args = new ArrayList<>();
        for (String line : Files.readAllLines(calls)) {
            if (!line.equals("--")) {
                args.add(line);
                continue;
            }
            assertThat(args).as("kafka-topics arguments").contains("--create", "--if-not-exists");
            assertThat(args.get(args.indexOf("--bootstrap-server") + 1)).isEqualTo(env.get("BOOTSTRAP_SERVERS"));
            Map<String, String> topic = new TreeMap<>();
            topic.put("partitions", args.get(args.indexOf("--partitions") + 1));
            topic.put("replication-factor", args.get(args.indexOf("--replication-factor") + 1));
            for (int i = 0; i < args.size() - 1; i++) {
                if (args.get(i).equals("--config")) {
                    String[] kv = args.get(i + 1).split("=", 2);
                    assertThat(topic.put(kv[0], kv[1])).as("config " + kv[0] + " given once").isNull();
                }
            }
            assertThat(topics.put(args.get(args.indexOf("--topic") + 1), topic)).as("topic listed once").isNull();
            args.clear();
        }
        return topics;
    }

    /** Partitions and explicitly set configs of every topic on the embedded broker. */
    private static Map<String, Map<String, String>> topicsOnBroker() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Set<String> names = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            names.remove(EmbeddedKafkaBroker.READINESS_TOPIC);
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            Map<String, Map<String, String>> topics = new TreeMap<>();
            for (String name : names) {
                Map<String, String> topic = new TreeMap<>();
                topic.put("partitions", Integer.toString(descriptions.get(name).partitions().size()));
                for (ConfigEntry entry : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).entries()) {
                    if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                        topic.put(entry.name(), entry.value());
                    }
                }
                topics.put(name, topic);
            }
            return topics;
        }
    }

    // ------------------------------------------------------------------ Prometheus and Grafana

    @Test
    void prometheus_scrapes_every_pipeline_instance_on_its_http_port_and_the_notifier_on_its_metrics_port() throws IOException {
        Map<String, Set<String>> targets = new TreeMap<>();
        for (JsonNode job : prometheus().path("scrape_configs")) {
            assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
            Set<String> jobTargets = targets.computeIfAbsent(job.path("job_name").asText(), j -> new TreeSet<>());
            for (JsonNode sc : job.path("static_configs")) {
                jobTargets.addAll(strings(sc.path("targets")));
            }
        }
        Set<String> pipelines = new TreeSet<>();
        for (String name : pipelineServices()) {
            pipelines.add(name + ":" + pipelineConfig(name).httpPort());
        }
        assertThat(targets).isEqualTo(Map.of(PIPELINE_JOB, pipelines,
                NOTIFIER_JOB, Set.of("notifier:" + notifierConfig().metricsPort())));
    }

    @Test
    void prometheus_and_the_notifier_send_their_alerts_to_the_alertmanager_service() throws Exception {
        // One Alertmanager of the official image, its configuration mounted, its data on a named volume
        List<String> alertmanagers = services().stream()
                .filter(s -> service(s).path("image").asText().startsWith("prom/alertmanager:")).toList();
        assertThat(alertmanagers).containsExactly("alertmanager");
        Map<String, String> flags = flags("alertmanager");
        assertThat(flags).doesNotContainKey("--web.listen-address").doesNotContainKey("--web.route-prefix");
        Path config = mountedFile("alertmanager", flags.get("--config.file"));
        assertThat(namedVolumeHolding("alertmanager", flags.get("--storage.path"))).as("silences and notification log kept").isNotNull();
        assertThat(publishedPort("alertmanager", ALERTMANAGER_PORT)).isNotNull();
        assertThat(service("alertmanager").has("healthcheck")).isTrue();
        assertThat(config).isEqualTo(DOCKER.resolve("alertmanager/alertmanager.yml"));

        // Prometheus sends the rules' alerts there
        List<String> targets = new ArrayList<>();
        for (JsonNode am : prometheus().path("alerting").path("alertmanagers")) {
            assertThat(am.path("path_prefix").asText("/")).isEqualTo("/");
            for (JsonNode sc : am.path("static_configs")) {
                targets.addAll(strings(sc.path("targets")));
            }
        }
        assertThat(targets).containsExactly("alertmanager:" + ALERTMANAGER_PORT);

        // So does the notifier, with the milestones; it starts once Alertmanager has started, but does not wait for it
        // to be healthy: the other channels must not depend on it
        NotifierConfig notifier = notifierConfig();
        assertThat(notifier.alertmanagerEnabled()).isTrue();
        assertThat(notifier.alertmanagerUrl().getHost()).isEqualTo("alertmanager");
        assertThat(notifier.alertmanagerUrl().getPort()).isEqualTo(ALERTMANAGER_PORT);
        assertThat(notifier.alertmanagerUrl().getPath()).isIn("", "/");
        assertThat(condition("notifier", "alertmanager")).isEqualTo("service_started");
    }

    @Test
    void grafana_is_provisioned_with_the_prometheus_datasource_and_the_dashboard() throws IOException {
        JsonNode datasources = YAML.readTree(mountedFile("grafana", "/etc/grafana/provisioning").resolve("datasources/prometheus.yml").toFile());
        JsonNode ds = datasources.path("datasources").get(0);
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");
        JsonNode providers = YAML.readTree(mountedFile("grafana", "/etc/grafana/provisioning").resolve("dashboards/export-counter.yml").toFile());
        Path dashboards = mountedFile("grafana", providers.path("providers").get(0).path("options").path("path").asText());
        JsonNode dashboard = JSON.readTree(dashboards.resolve("export-counter.json").toFile());
        for (JsonNode panel : panels(dashboard)) {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(ds.path("uid").asText());
        }
        assertThat(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
                .isEqualTo(providers.path("providers").get(0).path("options").path("path").asText() + "/export-counter.json");
    }

    @Test
    void prometheus_loads_the_alert_rules_mounted_beside_its_configuration() throws IOException {
        JsonNode prometheus = YAML.readTree(mountedFile("prometheus", "/etc/prometheus/prometheus.yml").toFile());
        List<String> ruleFiles = strings(prometheus.path("rule_files"));
        assertThat(ruleFiles).containsExactly("/etc/prometheus/alerts.yml");
        assertThat(mountedFile("prometheus", ruleFiles.get(0))).isEqualTo(DOCKER.resolve("prometheus/alerts.yml"));
    }

    @Test
    void every_metric_of_the_dashboard_is_served_by_a_real_pipeline_instance(@TempDir Path state) throws Exception {
        Scrape scrape = realScrape(state);

        JsonNode dashboard = JSON.readTree(mountedFile("grafana", "/etc/grafana/dashboards").resolve("export-counter.json").toFile());
        List<String> queries = dashboardQueries(dashboard);
        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (String query : queries) {
            for (Selector selector : Selector.allIn(query)) {
                used.add(selector.metric());
                problems.addAll(scrape.problems(selector, query));
            }
        }
        assertThat(problems).isEmpty();
        // What the dashboard must show: throughput, rejections, lag, the national total, milestones, heap.
        assertThat(used).contains("export_counter_declarations_total", "kafka_consumer_fetch_manager_records_lag_max",
                "export_counter_national_total_usd", "export_counter_milestones_emitted_total", "jvm_memory_used_bytes");
    }

    /**
     * Each selector of a rule names its Prometheus job, and its metric is looked up in what that job's targets
     * serve: a real pipeline instance for export-counter, a real notifier for export-counter-notifier.
     */
    @Test
    void alertmanager_accepts_its_mounted_configuration() throws Exception {
        // amtool (Debian package prometheus-alertmanager) parses it as Alertmanager does; skipped where it is absent
        amtool("check-config", mountedFile("alertmanager", flags("alertmanager").get("--config.file")).toString());
    }

    @Test
    void every_metric_of_the_alert_rules_is_served_by_a_real_pipeline_instance_or_notifier(@TempDir Path state) throws Exception {
        Set<String> jobs = new TreeSet<>();
        prometheus().path("scrape_configs").forEach(job -> jobs.add(job.path("job_name").asText()));
        assertThat(jobs).containsExactlyInAnyOrder(PIPELINE_JOB, NOTIFIER_JOB);
        Map<String, Scrape> scrapes = Map.of(PIPELINE_JOB, realScrape(state.resolve("pipeline")),
                NOTIFIER_JOB, realNotifierScrape(state.resolve("notifier")));
        JsonNode alerts = YAML.readTree(mountedFile("prometheus", "/etc/prometheus/alerts.yml").toFile());
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> usedByJob = new TreeMap<>();
        int rules = 0;
        for (JsonNode group : alerts.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules++;
                String query = rule.path("expr").asText();
                for (Selector selector : Selector.allIn(query)) {
                    String job = selector.equals().get("job");
                    if (job == null || !scrapes.containsKey(job)) {
                        problems.add(selector.metric() + " selects job " + job + ", not one of " + jobs + " (in: " + query + ")");
                        continue;
                    }
                    usedByJob.computeIfAbsent(job, j -> new TreeSet<>()).add(selector.metric());
                    if (!PROMETHEUS_SERIES.contains(selector.metric())) {
                        problems.addAll(scrapes.get(job).problems(selector, query));
                    }
                }
            }
        }
        assertThat(rules).isGreaterThanOrEqualTo(10);
        assertThat(problems).isEmpty();
        assertThat(usedByJob.get(PIPELINE_JOB)).contains("up", "kafka_stream_client_state", "kafka_consumer_fetch_manager_records_lag_max",
                "export_counter_counting_delay_seconds_bucket", "export_counter_declarations_waiting",
                "export_counter_order_given_up_total", "export_counter_live_clients_dropped_total");
        assertThat(usedByJob.get(NOTIFIER_JOB)).contains("up", "export_counter_notifier_dead_letters_total");
    }

    @Test
    void the_notifier_serves_a_dead_letter_series_for_each_of_its_channels_before_any_delivery(@TempDir Path state) throws Exception {
        // increase() in ExportCounterNotifierDeadLetters sees the first dead letter only if its series was there at 0
        Scrape scrape = realNotifierScrape(state);
        NotifierConfig config = notifierConfig();
        List<String> channels = new ArrayList<>();
        if (config.webhookEnabled()) {
            channels.add("webhook");
        }
        if (config.emailEnabled()) {
            channels.add("email");
        }
        if (config.alertmanagerEnabled()) {
            channels.add("alertmanager");
        }
        if (config.outboxEnabled()) {
            channels.add("outbox");
        }
        assertThat(channels).contains("alertmanager", "outbox");
        for (String channel : channels) {
            assertThat(scrape.labels().get("export_counter_notifier_dead_letters_total")).contains("channel=\"" + channel + "\"");
            assertThat(scrape.labels().get("export_counter_notifier_deliveries_total")).contains("channel=\"" + channel + "\"");
        }
    }

    /**
     * What a pipeline instance with the compose configuration serves on /metrics, against the embedded broker; its
     * clients and stream threads exist (and register their metrics) from construction on. Scraped once per run.
     */
    private static synchronized Scrape realScrape(Path state) throws Exception {
        if (realScrape == null) {
            PipelineConfig config = pipelineConfig(pipelineServices().get(0))
                    .with(PipelineConfig.STREAMS_PREFIX + "bootstrap.servers", broker.bootstrapServers())
                    .with(PipelineConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, state.toString())
                    .with("http.port", "0");
            try (PipelineRunner runner = new PipelineRunner(config); ServingServer server = ServingServer.start(runner)) {
                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                realScrape = Scrape.parse(response.body());
            }
            assertThat(realScrape.names()).contains("export_counter_declarations_total", "jvm_memory_used_bytes");
        }
        return realScrape;
    }

    /**
     * What a notifier with the compose configuration serves on /metrics, against the embedded broker (its
     * channels are built, nothing is delivered). Scraped once per run.
     */
    private static synchronized Scrape realNotifierScrape(Path dir) throws Exception {
        if (realNotifierScrape == null) {
            NotifierConfig config = notifierConfig()
                    .with("kafka.bootstrap.servers", broker.bootstrapServers())
                    .with("topics.create-missing", "true")
                    .with("topics.replication-factor", "-1")
                    .with("outbox.file", dir.resolve("notices.jsonl").toString())
                    .with("metrics.port", "0");
            try (Notifier notifier = new Notifier(config).start()) {
                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + notifier.metricsPort() + "/metrics"))
                                .timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                realNotifierScrape = Scrape.parse(response.body());
            }
            assertThat(realNotifierScrape.names()).contains("export_counter_notifier_deliveries_total", "jvm_memory_used_bytes");
        }
        return realNotifierScrape;
    }

    @Test
    void the_metric_check_reports_unknown_names_and_label_values() {
        Scrape scrape = Scrape.parse("""
                # TYPE export_counter_declarations_total counter
                export_counter_declarations_total{outcome="counted"} 5.0
                export_counter_declarations_total{outcome="rejected"} 1.0
                jvm_info{vendor="x, y",version="17"} 1
                """);
        String query = "sum by (outcome) (rate(export_counter_declarations_total{outcome=\"rejected\", instance=~\"$instance\"}[$__rate_interval]))"
                + " / ignoring(x) sum(export_counter_declaration_total) + on(le) jvm_info{vendor=\"x, y\"}"
                + " or export_counter_declarations_total{outcome=\"lost\"}";
        List<Selector> selectors = Selector.allIn(query);
        assertThat(selectors).extracting(Selector::metric).containsExactly("export_counter_declarations_total",
                "export_counter_declaration_total", "jvm_info", "export_counter_declarations_total");
        List<String> problems = selectors.stream().flatMap(s -> scrape.problems(s, query).stream()).toList();
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("export_counter_declaration_total");
        assertThat(problems.get(1)).contains("outcome=\"lost\"");
        assertThat(Selector.allIn("label_values(export_counter_national_total_year, instance)"))
                .extracting(Selector::metric).containsExactly("export_counter_national_total_year");
    }

    // ------------------------------------------------------------------ metric names

    /** A metric selector of a PromQL query: the name and its exact-match label matchers. */
    record Selector(String metric, Map<String, String> equals) {
        private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$");
        private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
        /** Followed by a parenthesised list of label names, not of expressions. */
        private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
        private static final Set<String> KEYWORDS = Set.of("bool", "and", "or", "unless", "offset", "inf", "nan");
        /** May be followed by "by (...)" or "without (...)" before their parenthesis: {@code sum by (le) (...)}. */
        private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
                "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

        /** Every metric selector of a query (also of Grafana's label_values(query, label)), in order. */
        static List<Selector> allIn(String query) {
            Matcher lv = LABEL_VALUES.matcher(query);
            String q = lv.matches() ? lv.group(1) : query;
            List<Selector> selectors = new ArrayList<>();
            int i = 0;
            while (i < q.length()) {
                char c = q.charAt(i);
                if (c == '"' || c == '\'') {
                    i = closing(q, i, c) + 1;              // a string
                } else if (c == '[') {
                    i = closing(q, i, ']') + 1;            // a range such as [5m] or [$__rate_interval]
                } else if (c == '$' || Character.isDigit(c)) {
                    i = wordEnd(q, i + 1);                 // a Grafana variable, a number or a duration
                } else if (Character.isLetter(c) || c == '_' || c == ':') {
                    int end = wordEnd(q, i);
                    String name = q.substring(i, end);
                    int next = end;
                    while (next < q.length() && Character.isWhitespace(q.charAt(next))) {
                        next++;
                    }
                    char after = next < q.length() ? q.charAt(next) : ' ';
                    if (after == '(' && GROUPING.contains(name)) {
                        i = closing(q, next, ')') + 1;
                    } else if (after == '(') {
                        i = next + 1;                      // a function or an aggregation
                    } else if (after == '{') {
                        int close = closing(q, next, '}');
                        selectors.add(new Selector(name, equalsMatchers(q.substring(next + 1, close))));
                        i = close + 1;
                    } else {
                        String lower = name.toLowerCase(java.util.Locale.ROOT);
                        if (!KEYWORDS.contains(lower) && !AGGREGATIONS.contains(lower)) {
                            selectors.add(new Selector(name, Map.of()));
                        }
                        i = end;
                    }
                } else {
                    i++;
                }
            }
            return selectors;
        }

        private static int wordEnd(String q, int from) {
            int i = from;
            while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || "_:.".indexOf(q.charAt(i)) >= 0)) {
                i++;
            }
            return i;
        }

        /** The index of the character closing the one at {@code open}, skipping quoted strings. */
        private static int closing(String q, int open, char close) {
            char quote = q.charAt(open) == '"' || q.charAt(open) == '\'' ? q.charAt(open) : 0;
            for (int i = open + 1; i < q.length(); i++) {
                char c = q.charAt(i);
                if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        return i;
                    }
                } else if (c == '"' || c == '\'') {
                    i = closing(q, i, c);
                } else if (c == close) {
                    return i;
                }
            }
            throw new IllegalArgumentException("unbalanced '" + q.charAt(open) + "' in " + q);
        }

        private static Map<String, String> equalsMatchers(String matchers) {
            Map<String, String> equals = new LinkedHashMap<>();
            Matcher m = MATCHER.matcher(matchers);
            while (m.find()) {
                if (m.group(2).equals("=")) {
                    equals.put(m.group(1), m.group(3));
                }
            }
            return equals;
        }
    }

    /** Sample names of a Prometheus text scrape, with the label pairs seen on each. */
    record Scrape(Map<String, Set<String>> labels) {
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        static Scrape parse(String text) {
            Map<String, Set<String>> labels = new TreeMap<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int brace = line.indexOf('{');
                int space = line.indexOf(' ');
                boolean hasLabels = brace >= 0 && brace < space;
                String name = line.substring(0, hasLabels ? brace : space);
                Set<String> pairs = labels.computeIfAbsent(name, n -> new HashSet<>());
                if (hasLabels) {
                    Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                    while (m.find()) {
                        pairs.add(m.group(1) + "=\"" + m.group(2) + "\"");
                    }
                }
            }
            return new Scrape(labels);
        }

        Set<String> names() {
            return labels.keySet();
        }

        List<String> problems(Selector selector, String query) {
            Set<String> pairs = labels.get(selector.metric());
            if (pairs == null) {
                return List.of("metric " + selector.metric() + " is not on /metrics (in: " + query + ")");
            }
            List<String> problems = new ArrayList<>();
            selector.equals().forEach((label, value) -> {
                if (!TARGET_LABELS.contains(label) && !value.contains("$") && !pairs.contains(label + "=\"" + value + "\"")) {
                    problems.add(selector.metric() + " has no series with " + label + "=\"" + value + "\" (in: " + query + ")");
                }
            });
            return problems;
        }
    }

    /** The PromQL of every panel target and every query variable. */
    private static List<String> dashboardQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode q = variable.path("query");
                queries.add(q.isTextual() ? q.asText() : q.path("query").asText());
            }
        }
        queries.forEach(q -> assertThat(q).as("a query").isNotBlank());
        return queries;
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add); // collapsed rows
        }
        assertThat(panels).isNotEmpty();
        return panels;
    }

    // ------------------------------------------------------------------ compose helpers

    private static JsonNode prometheus() throws IOException {
        return YAML.readTree(mountedFile("prometheus", "/etc/prometheus/prometheus.yml").toFile());
    }

    /** The {@code --name=value} flags of a service's command. */
    private static Map<String, String> flags(String name) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : command(name)) {
            String[] kv = arg.split("=", 2);
            assertThat(kv).as(name + ": " + arg + " is --name=value").hasSize(2);
            flags.put(kv[0], kv[1]);
        }
        return flags;
    }

    /** Runs amtool and fails with its output unless it exits with 0; skips where amtool is absent. */
    private static void amtool(String... args) throws IOException, InterruptedException {
        Path amtool = Path.of("/usr/bin/amtool");
        assumeThat(Files.isExecutable(amtool)).as("amtool (Debian package prometheus-alertmanager)").isTrue();
        List<String> command = new ArrayList<>(List.of(amtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
    }

    private static Set<String> services() {
        return names(compose.path("services"));
    }

    private static JsonNode service(String name) {
        JsonNode service = compose.path("services").path(name);
        assertThat(service.isObject()).as("service " + name).isTrue();
        return service;
    }

    /** Services running our image. */
    private static List<String> appServices() {
        return services().stream().filter(s -> service(s).has("build")).toList();
    }

    private static List<String> pipelineServices() {
        return appServices().stream().filter(s -> command(s).get(0).equals("pipeline")).toList();
    }

    private static List<String> kafkaServices() {
        return services().stream().filter(s -> service(s).path("image").asText().startsWith("apache/kafka:")
                && environment(s).containsKey("KAFKA_NODE_ID")).toList();
    }

    private static List<String> command(String name) {
        List<String> command = strings(service(name).path("command"));
        assertThat(command).as(name + " command").isNotEmpty();
        return command;
    }

    private static String optionValue(String name, String option) {
        ParseResult parsed = new ExportCounterCli().commandLine().parseArgs(command(name).toArray(String[]::new));
        CommandLine.Model.OptionSpec matched = parsed.subcommand().matchedOption(option);
        return matched == null ? null : matched.originalStringValues().get(0);
    }

    private static String condition(String service, String dependency) {
        return service(service).path("depends_on").path(dependency).path("condition").asText();
    }

    private static Map<String, String> environment(String name) {
        JsonNode env = service(name).path("environment");
        Map<String, String> map = new LinkedHashMap<>();
        if (env.isArray()) {
            for (JsonNode e : env) {
                String[] kv = e.asText().split("=", 2);
                map.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        } else {
            env.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        }
        return map;
    }

    /** The host file or folder bind-mounted at {@code containerPath} in a service. */
    private static Path mountedFile(String name, String containerPath) {
        for (String volume : strings(service(name).path("volumes"))) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[1].equals(containerPath) && (parts[0].startsWith(".") || parts[0].startsWith("/"))) {
                Path host = DOCKER.resolve(parts[0]).normalize();
                assertThat(Files.exists(host)).as(name + ": " + host).isTrue();
                return host;
            }
        }
        throw new AssertionError(name + " mounts nothing at " + containerPath);
    }

    /** The named volume of a service that holds a container path, or null. */
    private static String namedVolumeHolding(String name, String containerPath) {
        for (String volume : strings(service(name).path("volumes"))) {
            String[] parts = volume.split(":");
            boolean named = !(parts[0].startsWith(".") || parts[0].startsWith("/"));
            if (named && (containerPath.equals(parts[1]) || containerPath.startsWith(parts[1] + "/"))) {
                assertThat(names(compose.path("volumes"))).as("volume " + parts[0] + " declared").contains(parts[0]);
                return parts[0];
            }
        }
        return null;
    }

    /** The host port a service publishes for a container port, or null. */
    private static String publishedPort(String name, int containerPort) {
        for (String port : strings(service(name).path("ports"))) {
            String[] parts = port.split(":");
            if (parts[parts.length - 1].equals(Integer.toString(containerPort))) {
                return parts[parts.length - 2];
            }
        }
        return null;
    }

    private static PipelineConfig pipelineConfig(String name) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(mountedFile(name, optionValue(name, "--config")))) {
            props.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // ${env:NAME} resolves only to variables compose hands to the container, as compose gives them
        // when the operator's shell has none (${VAR:-default} is the default).
        Map<String, String> given = environment(name);
        PipelineConfig config = PipelineConfig.fromProperties(props, n -> given.containsKey(n)
                ? given.get(n).replaceAll("^\\$\\{[A-Za-z_][A-Za-z0-9_]*:-(.*)}$", "$1") : null);
        // The command line's overrides, as PipelineCommand applies them.
        String bootstrap = optionValue(name, "--bootstrap-server");
        if (bootstrap != null) {
            config = config.with(PipelineConfig.STREAMS_PREFIX + "bootstrap.servers", bootstrap);
        }
        String port = optionValue(name, "--http-port");
        if (port != null) {
            config = config.with("http.port", port);
        }
        return config;
    }

    private static NotifierConfig notifierConfig() throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(mountedFile("notifier", optionValue("notifier", "--config")))) {
            props.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        // ${env:NAME} resolves only to variables compose hands to the container.
        Set<String> given = environment("notifier").keySet();
        NotifierConfig config = NotifierConfig.fromProperties(props, n -> given.contains(n) ? "set-by-compose" : null);
        String bootstrap = optionValue("notifier", "--bootstrap-server");
        return bootstrap == null ? config : config.with("kafka.bootstrap.servers", bootstrap);
    }

    /** Keys under streams.* must be Kafka Streams or client settings (Kafka Streams would only log an unknown one). */
    private static void assertKnownStreamsKeys(String name, PipelineConfig config) {
        Set<String> known = new HashSet<>(StreamsConfig.configDef().names());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(ProducerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        List<String> prefixes = List.of(StreamsConfig.TOPIC_PREFIX, StreamsConfig.CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX,
                StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
                StreamsConfig.GLOBAL_CONSUMER_PREFIX);
        Set<String> unknown = config.toProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(PipelineConfig.STREAMS_PREFIX))
                .map(k -> k.substring(PipelineConfig.STREAMS_PREFIX.length()))
                .filter(k -> !known.contains(k) && prefixes.stream().noneMatch(k::startsWith))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(unknown).as(name + ": unknown streams.* keys").isEmpty();
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
