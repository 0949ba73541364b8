package dev.itembank;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.itembank.cli.ItembankCli;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code java -jar itembank.jar <args>} runs: the service, the evaluation command or the client. */
class ItembankApplicationTest {

    @Test
    void helpAndVersionGoToTheClientNotTheService() {
        for (String first : new String[] {"--help", "-h", "help", "--version", "-V", "subset", "session"}) {
            assertThat(ItembankApplication.route(new String[] {first})).as(first)
                    .isEqualTo(ItembankApplication.Route.CLIENT);
        }
        assertThat(ItembankApplication.route(new String[] {"evaluate", "--help"}))
                .isEqualTo(ItembankApplication.Route.EVALUATE);
        assertThat(ItembankApplication.route(new String[0])).isEqualTo(ItembankApplication.Route.SERVICE);
        assertThat(ItembankApplication.route(new String[] {"--server.port=9090"}))
                .isEqualTo(ItembankApplication.Route.SERVICE);
    }

    @Test
    void theClientsHelpSaysHowToStartTheServiceAndEvaluate() {
        StringWriter out = new StringWriter();
        int status = ItembankCli.run(new String[] {"--help"}, Map.of(), new PrintWriter(out), new PrintWriter(
                new StringWriter()));
        assertThat(status).isZero();
        assertThat(out.toString()).contains("Commands:", "session", "Without a verb the jar starts the service",
                "evaluate --help");
    }
}
