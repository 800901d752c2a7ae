"""Pages of the joint strategy, one module per part. Insiders of a partnership (its
coordinators, the managers of its partner clusters, EC officers) read; coordinators edit;
partners report their KPIs."""
