package dev.itembank.api;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Lets Tomcat pass an encoded slash ({@code %2F}) through instead of refusing the request itself with its HTML
 * error page: the security firewall then refuses it, like every other ambiguous path, with a 400 problem. What
 * Tomcat still refuses itself (a path that is not UTF-8) is reported as a problem too ({@link
 * ProblemErrorReportValve}).
 */
@Component
class TomcatPaths implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }
}
