package apigateway

func validateRequestParameters(*Integration) error { return nil }
