/**
 * The operator web UI, served at {@code /ui} by every worker. The UI itself is static files under
 * {@code META-INF/resources/ui/} (plain ES modules, no build step) that call the public REST API
 * only; this package just maps {@code /ui} and {@code /ui/} to its index page. Depends on Spring MVC
 * only, never on the worker.
 */
package io.sluice.ui;
