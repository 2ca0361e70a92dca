"""On-call rotas: reading the files councils keep, exact coverage, working time and fairness."""
