/**
 * The demo main job: one simulated day of a small AI platform on the bundled catalog and a manual
 * clock, recorded through the public API exactly as a host application would.
 */
package dev.finops.cli.demo;
