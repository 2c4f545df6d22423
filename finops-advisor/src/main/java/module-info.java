/** finops-advisor: rightsizing, spot, endpoint and forecast advice from recorded usage and prices. */
module dev.finops.advisor {
  requires transitive dev.finops.core;

  exports dev.finops.advisor;
}
