"""Every write of brokers, opportunities, investor contacts and investment projects."""
