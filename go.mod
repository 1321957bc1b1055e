module github.com/mailflowsim/mailflow

go 1.26
