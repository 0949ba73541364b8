package dev.itembank;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Itembank: estimate full-benchmark LLM scores from tiny, well-chosen item subsets. API keys are its only
 * credentials, so Boot's generated in-memory user is left out.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ItembankApplication {

    /**
     * Starts the service; {@code evaluate ...} runs the evaluation command instead (no service, no database),
     * {@code import-lm-eval}, {@code subset}, {@code estimate}, {@code jobs} and {@code session} the command-line
     * client of a running service, and {@code --help} or {@code --version} the client's help or version.
     */
    public static void main(String[] args) throws Exception {
        switch (route(args)) {
            case EVALUATE -> dev.itembank.evaluation.EvaluationCommand.main(
                    java.util.Arrays.copyOfRange(args, 1, args.length));
            // "help" is picocli's --help here
            case CLIENT -> dev.itembank.cli.ItembankCli.main(args[0].equals("help") ? new String[] {"--help"} : args);
            case SERVICE -> SpringApplication.run(ItembankApplication.class, args);
        }
    }

    /** What the jar's arguments ask for. */
    enum Route { EVALUATE, CLIENT, SERVICE }

    /**
     * {@code evaluate}: the evaluation command; a client verb, or {@code --help}/{@code --version} first (which used
     * to start the service): the client; anything else, Spring Boot's options among them, starts the service.
     */
    static Route route(String[] args) {
        if (args.length == 0) {
            return Route.SERVICE;
        }
        if (args[0].equals("evaluate")) {
            return Route.EVALUATE;
        }
        return dev.itembank.cli.ItembankCli.VERBS.contains(args[0]) || dev.itembank.cli.ItembankCli.HELP.contains(
                args[0]) ? Route.CLIENT : Route.SERVICE;
    }
}
