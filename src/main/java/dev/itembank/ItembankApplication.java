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
     * Starts the service; {@code evaluate ...} runs the evaluation command instead (no service, no database), and
     * {@code import-lm-eval}, {@code subset}, {@code estimate} and {@code jobs} the command-line client of a running
     * service.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("evaluate")) {
            dev.itembank.evaluation.EvaluationCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && dev.itembank.cli.ItembankCli.VERBS.contains(args[0])) {
            dev.itembank.cli.ItembankCli.main(args);
            return;
        }
        SpringApplication.run(ItembankApplication.class, args);
    }
}
