/**
 * jcstress tests of the budget store's reservation races: all-or-nothing reservations across a scope
 * chain, settlement against expiry. Built by Maven, run by hand (see the module README).
 */
package dev.finops.jcstress;
