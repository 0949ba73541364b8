package dev.itembank.dashboard;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard: static pages at {@code /} ({@code classpath:/dashboard/}) and Apache ECharts from its WebJar, served
 * by the service itself. The pages hold no data: they read the public REST API with the key the user enters (kept in
 * the browser's session storage). Every dashboard response carries a Content-Security-Policy that allows scripts
 * from this origin only (no inline script), so text from uploads can never run as code.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration implements WebMvcConfigurer {

    /** Scripts, styles, images and API calls from this origin only; no plugins, frames or base rewriting. */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/").setViewName("forward:/dashboard/index.html");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/dashboard/**").addResourceLocations("classpath:/dashboard/")
                .setCacheControl(CacheControl.noCache());
        registry.addResourceHandler("/webjars/echarts/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/echarts/")
                .setCacheControl(CacheControl.maxAge(java.time.Duration.ofDays(30)));
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> dashboardHeaders() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                            FilterChain chain) throws ServletException, IOException {
                        response.setHeader("Content-Security-Policy", POLICY);
                        response.setHeader("X-Content-Type-Options", "nosniff");
                        response.setHeader("Referrer-Policy", "no-referrer");
                        chain.doFilter(request, response);
                    }
                });
        registration.addUrlPatterns("/", "/dashboard/*", "/webjars/*");
        return registration;
    }
}
