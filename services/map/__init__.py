"""The case map's read model: measures per jurisdiction, case marks and a jurisdiction's detail."""
